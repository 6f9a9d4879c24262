using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using MetricsPipeline.Host.Hosting;
using MetricsPipeline.Kafka;
using MetricsPipeline.Sinks.InfluxDb;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace MetricsPipeline.Host.Tests;

/// <summary>
/// The demo's non-exit (flake hunt, Dashboard fixture): its stop gave up because InfluxDB could not take the last
/// windows, so <see cref="AnalyticsService.Completion"/> never came, and the <c>await using</c> dispose after the stop
/// waited for it forever. Here the output is a server that accepts connections and never answers.
/// </summary>
public sealed class AnalyticsStopGaveUpTests : IDisposable
{
    private const long S = 1_000_000_000L;
    private static readonly long T0 = 1_790_002_800L * S;
    private readonly EmbeddedKafkaBroker _broker;
    private readonly TcpListener _stalled = new(IPAddress.Loopback, 0);
    private readonly List<Socket> _accepted = [];
    private readonly CancellationTokenSource _stop = new();

    public AnalyticsStopGaveUpTests()
    {
        _broker = EmbeddedKafkaBroker.Start(new EmbeddedKafkaBrokerOptions { DefaultPartitions = 1 });
        foreach (var topic in new KafkaTopicOptions().All())
        {
            _broker.CreateTopic(topic);
        }

        _stalled.Start();
        _ = AcceptForeverAsync();
    }

    public void Dispose()
    {
        _stop.Cancel();
        _stalled.Stop();
        lock (_accepted)
        {
            _accepted.ForEach(s => s.Dispose());
        }

        _broker.Dispose();
        _stop.Dispose();
    }

    [Fact]
    public async Task WhenTheFirstStopGaveUpOnAStalledOutputThenDisposeReturnsPromptly()
    {
        var ct = TestContext.Current.CancellationToken;
        var settings = new PipelineSettings
        {
            InfluxDb = new InfluxDbOptions { Url = $"http://127.0.0.1:{((IPEndPoint)_stalled.LocalEndpoint).Port}", Database = "stalled", Timeout = TimeSpan.FromSeconds(1) },
            Kafka = new KafkaSettings { BootstrapServers = _broker.BootstrapServers, GroupId = "stalled" },
            TickInterval = TimeSpan.FromMilliseconds(100),
        };
        settings.Kafka.Consumer["session.timeout.ms"] = "3000";
        settings.Kafka.Consumer["heartbeat.interval.ms"] = "500";
        settings.Sink.FlushInterval = TimeSpan.FromMilliseconds(100);
        settings.Sink.ShutdownTimeout = TimeSpan.FromSeconds(1);
        var service = AnalyticsService.Start(settings, _broker.BootstrapServers, NullLoggerFactory.Instance);
        // A subscriber of the closed windows that holds the pipeline thread (as the demo's backlog of history windows
        // did for minutes): the first stop gives up and disconnects the pipeline while a batch is still in flight, so
        // Completion can never come.
        using var entered = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        using var hold = service.Windows.Subscribe(_ =>
        {
            entered.Set();
            release.Wait(TimeSpan.FromSeconds(60)); // released by the test right after the first stop
        }, _ => { });
        try
        {
            await using (var producer = new KafkaLineProducer(new KafkaProducerOptions { BootstrapServers = _broker.BootstrapServers, Topic = "metrics" }))
            {
                for (var minute = 0; minute < 5; minute++)
                {
                    var line = string.Create(CultureInfo.InvariantCulture, $"service,instance=a-0,service=a request_rate={100 + minute},cpu_percent=30 {T0 + (minute * 60 * S)}\n");
                    producer.Append(Encoding.UTF8.GetBytes("a"), Encoding.UTF8.GetBytes(line));
                }

                await producer.FlushAsync(ct);
            }

            var read = Stopwatch.StartNew();
            while (service.Counters.PointsReceived < 5)
            {
                Assert.True(read.Elapsed < TimeSpan.FromSeconds(15), $"consumed {service.Counters.PointsReceived} of 5");
                await Task.Delay(20, ct);
            }

            var stop = service.StopAsync(TimeSpan.FromSeconds(1));
            Assert.True(entered.Wait(TimeSpan.FromSeconds(15), ct), "no closed window reached the subscriber");
            await stop.WaitAsync(TimeSpan.FromSeconds(30), ct);
            release.Set();
            Assert.False(service.Completion.IsCompleted, $"the pipeline ended ({service.Completion.Status}); nothing to reproduce");

            // The demo's `await using`: a second stop after one that gave up has nothing left to wait for.
            var dispose = Stopwatch.StartNew();
            await service.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10), ct);
            Assert.True(dispose.Elapsed < TimeSpan.FromSeconds(5), $"dispose took {dispose.Elapsed}");
        }
        finally
        {
            release.Set();
            // Bounded whatever happened above (the old code's dispose never returns here).
            await Task.WhenAny(service.DisposeAsync().AsTask(), Task.Delay(TimeSpan.FromSeconds(5), CancellationToken.None));
        }
    }

    private async Task AcceptForeverAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var socket = await _stalled.AcceptSocketAsync(_stop.Token);
                lock (_accepted)
                {
                    _accepted.Add(socket);
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // The test is over.
        }
    }
}
