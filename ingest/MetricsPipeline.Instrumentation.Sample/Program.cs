using System.Diagnostics.Metrics;
using MetricsPipeline.Instrumentation;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace MetricsPipeline.Instrumentation.Sample;

/// <summary>
/// A small "checkout" service instrumented with System.Diagnostics.Metrics and exported to the pipeline with one
/// line. Run: <c>dotnet run --project ingest/MetricsPipeline.Instrumentation.Sample -- [bootstrap] [seconds]</c>
/// (defaults <c>localhost:9092</c>, 30 s); e.g. against <c>metrics-pipeline broker</c>.
/// </summary>
public static class Program
{
    /// <summary>Runs the sample for the given number of seconds.</summary>
    public static async Task<int> Main(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var bootstrap = args.Length > 0 ? args[0] : "localhost:9092";
        var seconds = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 30;
        var builder = Host.CreateApplicationBuilder();

        // The one line: every instrument of the "Checkout" meter goes to Kafka every 10 s as line protocol.
        builder.Services.AddMetricsPipelineExporter(o =>
        {
            o.BootstrapServers = bootstrap;
            o.Meters.Add("Checkout");
            o.Tags["service"] = "checkout";
            o.ExportInterval = TimeSpan.FromSeconds(2);
        });
        builder.Services.AddHostedService<CheckoutWorker>();
        using var host = builder.Build();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        await host.RunAsync(timeout.Token).ConfigureAwait(false);
        return 0;
    }
}
