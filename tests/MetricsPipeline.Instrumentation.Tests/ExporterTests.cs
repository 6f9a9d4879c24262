using System.Diagnostics.Metrics;
using MetricsPipeline.Instrumentation;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace MetricsPipeline.Instrumentation.Tests;

public sealed class ExporterTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private const long NowNs = 1_767_225_600_000_000_000;

    private static (MetricsPipelineExporterOptions Options, MemoryExporter Exporter) Setup(string meter)
    {
        var exporter = new MemoryExporter();
        var options = new MetricsPipelineExporterOptions { ExporterFactory = () => exporter };
        options.Meters.Add(meter);
        options.Tags["service"] = "shop";
        return (options, exporter);
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out");
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }
    }

    [Fact]
    public async Task WhenInstrumentsRecordThenEachKindBecomesItsDocumentedLine()
    {
        var name = "Test.Kinds." + Guid.NewGuid().ToString("N");
        var (options, memory) = Setup(name);
        await using var exporter = new MetricsPipelineExporter(options, new FakeTimeProvider(Now));
        using var meter = new Meter(name);
        var requests = meter.CreateCounter<long>("http.requests", "{request}");
        var active = meter.CreateUpDownCounter<int>("http.active");
        var latency = meter.CreateHistogram<double>("http.latency", "ms");
        var queue = 5.5;
        meter.CreateObservableGauge("queue.depth", () => queue);
        meter.CreateObservableCounter("cpu.time", () => 12L);
        exporter.Start();

        requests.Add(2, new KeyValuePair<string, object?>("route", "/a"));
        requests.Add(3, new KeyValuePair<string, object?>("route", "/a"));
        active.Add(4);
        active.Add(-1);
        latency.Record(10);
        latency.Record(30);
        Assert.Equal(5, exporter.CollectNow());
        await WaitForAsync(() => memory.Lines.Count == 5);

        var lines = memory.Lines.ToHashSet();
        Assert.Contains($"http.requests,meter={name},route=/a,service=shop,unit={{request}} counter=5 {NowNs}", lines);
        Assert.Contains($"http.active,meter={name},service=shop value=3 {NowNs}", lines);
        Assert.Contains($"http.latency,meter={name},service=shop,unit=ms count=2i,sum=40,min=10,max=30 {NowNs}", lines);
        Assert.Contains($"queue.depth,meter={name},service=shop gauge=5.5 {NowNs}", lines);
        Assert.Contains($"cpu.time,meter={name},service=shop counter=12 {NowNs}", lines);

        // Counters are cumulative and always exported; a histogram with nothing new is not.
        requests.Add(1, new KeyValuePair<string, object?>("route", "/a"));
        exporter.CollectNow();
        await WaitForAsync(() => memory.Lines.Count == 9);
        Assert.Contains(memory.Lines, l => l.StartsWith("http.requests,", StringComparison.Ordinal) && l.Contains("counter=6 ", StringComparison.Ordinal));
        Assert.Single(memory.Lines, l => l.StartsWith("http.latency,", StringComparison.Ordinal));
    }

    [Fact]
    public async Task WhenTheExporterIsDownThenTheQueueIsBoundedDropsAreCountedAndNothingThrows()
    {
        var name = "Test.Down." + Guid.NewGuid().ToString("N");
        var (options, memory) = Setup(name);
        options.MaxQueuedBatches = 3;
        memory.Reachable = false;
        await using var exporter = new MetricsPipelineExporter(options, new FakeTimeProvider(Now));
        using var meter = new Meter(name);
        var counter = meter.CreateCounter<int>("c");
        for (var i = 0; i < 10; i++)
        {
            counter.Add(1);
            exporter.CollectNow();
        }

        Assert.Equal(3, exporter.QueuedBatches);
        Assert.Equal(7, exporter.Statistics.BatchesDropped);
        memory.Throw = true;
        exporter.Start(); // the loop meets a throwing exporter: counted, retried, never surfaced
        await WaitForAsync(() => exporter.Statistics.ExportFailures > 0);
        memory.Throw = false;
        memory.Reachable = true;
        await exporter.DisposeAsync();
        Assert.Contains(memory.Lines, l => l.Contains("counter=10 ", StringComparison.Ordinal));
        Assert.DoesNotContain(memory.Lines, l => l.Contains("counter=1 ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task WhenTooManySeriesAppearThenNewOnesAreDroppedAndCounted()
    {
        var name = "Test.Cardinality." + Guid.NewGuid().ToString("N");
        var (options, memory) = Setup(name);
        options.MaxSeries = 10;
        await using var exporter = new MetricsPipelineExporter(options, new FakeTimeProvider(Now));
        using var meter = new Meter(name);
        var counter = meter.CreateCounter<double>("c");
        for (var i = 0; i < 100; i++)
        {
            counter.Add(1, new KeyValuePair<string, object?>("user", i));
        }

        counter.Add(double.NaN);
        Assert.Equal(10, exporter.CollectNow());
        Assert.Equal(91, exporter.Statistics.MeasurementsDropped);
        Assert.Empty(memory.Lines);
    }

    [Fact]
    public async Task WhenAddedToAHostWithOneLineThenMeasurementsAreExportedAtShutdown()
    {
        var name = "Test.Host." + Guid.NewGuid().ToString("N");
        var memory = new MemoryExporter();
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddMetricsPipelineExporter(o =>
        {
            o.Meters.Add(name);
            o.ExporterFactory = () => memory;
        });
        using var host = builder.Build();
        await host.StartAsync(TestContext.Current.CancellationToken);
        using (var meter = new Meter(name))
        {
            meter.CreateCounter<long>("orders").Add(42);
            await host.StopAsync(TestContext.Current.CancellationToken);
        }

        Assert.Contains(memory.Lines, l => l.StartsWith("orders,meter=", StringComparison.Ordinal) && l.Contains(" counter=42 ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task WhenKafkaIsUnreachableThenTheKafkaExporterReturnsFalseInsteadOfThrowing()
    {
        await using var exporter = new KafkaMetricsBatchExporter(new MetricsPipelineExporterOptions { BootstrapServers = "127.0.0.1:1" });
        Assert.False(await exporter.ExportAsync("m v=1 1\n"u8.ToArray(), TestContext.Current.CancellationToken));
    }
}
