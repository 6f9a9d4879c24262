using System.Diagnostics.Metrics;
using Microsoft.Extensions.Hosting;

namespace MetricsPipeline.Instrumentation.Sample;

/// <summary>Simulates orders: a counter, an up-down counter, a histogram and an observable gauge.</summary>
internal sealed class CheckoutWorker : BackgroundService
{
    private readonly Meter meter = new("Checkout", "1.0");
    private readonly Counter<long> orders;
    private readonly UpDownCounter<int> inFlight;
    private readonly Histogram<double> latency;
    private int cartItems;

    public CheckoutWorker()
    {
        orders = meter.CreateCounter<long>("checkout.orders", "{order}", "Orders placed.");
        inFlight = meter.CreateUpDownCounter<int>("checkout.in_flight", "{request}", "Requests being processed.");
        latency = meter.CreateHistogram<double>("checkout.duration", "ms", "Time to place an order.");
        meter.CreateObservableGauge("checkout.cart_items", () => Volatile.Read(ref cartItems), "{item}", "Items in open carts.");
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
#pragma warning disable CA5394 // Simulation, not security.
        var random = new Random(1);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                inFlight.Add(1);
                var ms = 20 + (random.NextDouble() * 80);
                await Task.Delay(TimeSpan.FromMilliseconds(ms / 4), stoppingToken).ConfigureAwait(false);
                latency.Record(ms, new KeyValuePair<string, object?>("payment", random.Next(3) == 0 ? "card" : "wallet"));
                orders.Add(1, new KeyValuePair<string, object?>("country", random.Next(2) == 0 ? "FR" : "DE"));
                inFlight.Add(-1);
                Interlocked.Exchange(ref cartItems, random.Next(100));
            }
        }
        catch (OperationCanceledException)
        {
            // Shutting down.
        }
#pragma warning restore CA5394
    }

    public override void Dispose()
    {
        meter.Dispose();
        base.Dispose();
    }
}
