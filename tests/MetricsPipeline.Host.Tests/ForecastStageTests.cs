using MetricsPipeline.Analytics.Windows;
using MetricsPipeline.Forecasting.Streaming;
using MetricsPipeline.Host.Forecasting;
using MetricsPipeline.Ingest.Model;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace MetricsPipeline.Host.Tests;

public sealed class ForecastStageTests
{
    private const long MinuteNs = 60_000_000_000;
    private const long T0 = 1_790_002_800L * 1_000_000_000;

    private static double Rate(int minute, int instance) => 100 + (20 * Math.Sin(2 * Math.PI * minute / 30.0)) + (instance * 10);

    private static WindowResult Window(int minute, string service, int instance) =>
        new(
            instance,
            "service",
            [new("instance", $"{service}-{instance}"), new("service", service)],
            TimeSpan.FromMinutes(1),
            T0 + (minute * MinuteNs),
            [
                new WindowFieldStats("request_rate", 6, 6 * Rate(minute, instance), 0, 1000, [1, 2, 3, 4]),
                new WindowFieldStats("cpu_percent", 6, 60, 0, 100, [1, 2, 3, 4]),
            ]);

    private sealed class Recorder : IForecastListener
    {
        public List<ServiceForecast> Received { get; } = [];

        public void OnForecast(ServiceForecast forecast) => Received.Add(forecast);
    }

    [Fact]
    public void WhenAServicesInstancesCloseTheirWindowsThenOneForecastPerServiceIsWrittenAndHandedToListeners()
    {
        var options = new StreamForecastOptions { Series = [new ForecastSeriesOptions { Name = "request_rate" }], Horizon = 4, WriteEveryStep = true, TrainSize = 60, WindowSize = 12, MaxRank = 6 };
        var stage = new ForecastStage(new StreamForecastEngine(options, null), ["p50", "p90", "p95", "p99"], NullLogger.Instance);
        var recorder = new Recorder();
        using var subscription = stage.Subscribe(recorder);
        var points = new List<MetricPoint>();

        // Backfill-like first batch (many minutes at once), then one batch per minute.
        var first = Enumerable.Range(0, 70).SelectMany(m => new[] { Window(m, "api", 0), Window(m, "api", 1), Window(m, "web", 0) }).ToList();
        points.AddRange(stage.OnWindows(new AggregateBatch(first, [], T0)));
        for (var m = 70; m < 80; m++)
        {
            points.AddRange(stage.OnWindows(new AggregateBatch([Window(m, "web", 0), Window(m, "api", 1), Window(m, "api", 0)], [], T0)));
        }

        // Trained at minute 59, so minutes 59..79 forecast: 21 per service.
        Assert.Equal(42, recorder.Received.Count);
        Assert.Equal(42 * 4, points.Count);
        var api = stage.Engine.SeriesByKey["service.request_rate.mean.1m|service=api"];
        Assert.Equal(80, api.Buffered);
        // api sums two instances (≈ 210), web has one (≈ 100).
        Assert.InRange(recorder.Received.Last(f => f.Service == "api").Value[0], 170, 260);
        Assert.InRange(recorder.Received.Last(f => f.Service == "web").Value[0], 70, 130);
        var point = points[^1];
        Assert.Equal("forecast", point.Measurement);
        Assert.Equal(["metric", "model_version", "service", "source", "step", "window"], point.Tags.Select(t => t.Key));
        Assert.Equal("service.request_rate.mean", point.Tags.Single(t => t.Key == "source").Value);
        Assert.Equal(T0 + (83 * MinuteNs), point.TimestampNs);
        Assert.Equal(["value", "lower", "upper"], point.Fields.Select(f => f.Key));
    }
}
