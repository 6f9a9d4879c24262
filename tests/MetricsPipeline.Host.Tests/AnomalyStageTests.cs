using System.Text.Json;
using MetricsPipeline.Analytics.Pipeline;
using MetricsPipeline.Analytics.Windows;
using MetricsPipeline.Anomaly.Streaming;
using MetricsPipeline.Decisions.Schemas;
using MetricsPipeline.Host.Anomaly;
using MetricsPipeline.Host.Stages;
using MetricsPipeline.Ingest.Model;
using Xunit;

namespace MetricsPipeline.Host.Tests;

/// <summary>The streaming anomaly stage on fabricated batches of closed windows (no broker, no InfluxDB).</summary>
public sealed class AnomalyStageTests
{
    private const long Minute = 60_000_000_000;
    private const long Origin = 1_700_000_000L * 1_000_000_000;
    private static readonly double[] Quantiles = [0.5, 0.9, 0.95, 0.99];

    private sealed class CapturingPublisher : IAlertPublisher
    {
        public List<(string Key, JsonDocument Json)> Messages { get; } = [];

        public void Publish(string key, byte[] value) => Messages.Add((key, JsonDocument.Parse(value)));

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    private sealed class RecordingListener : IEmergencySignalListener
    {
        public List<TrafficSpikeSignal> Signals { get; } = [];

        public void OnTrafficSpike(TrafficSpikeSignal signal) => Signals.Add(signal);
    }

    private static WindowResult ServiceWindow(string service, int instance, long start, double requestRate, double cpu, TimeSpan? size = null) =>
        new(
            instance,
            "service",
            [new("instance", $"{service}-{instance}"), new("region", "eu"), new("service", service)],
            size ?? TimeSpan.FromMinutes(1),
            start,
            [
                new WindowFieldStats("cpu_percent", 6, cpu * 6, cpu, cpu, [cpu, cpu, cpu, cpu]),
                new WindowFieldStats("request_rate", 6, requestRate * 6, requestRate, requestRate, [requestRate, requestRate, requestRate, requestRate]),
            ]);

    private static WindowResult LatencyWindow(string service, int instance, long start, double p95) =>
        new(100 + instance, "http_request", [new("instance", $"{service}-{instance}"), new("region", "eu"), new("service", service)], TimeSpan.FromMinutes(1), start,
            [new WindowFieldStats("latency_ms", 60, p95 * 30, 1, p95 * 2, [p95 / 2, p95 * 0.9, p95, p95 * 1.5])]);

    /// <summary>Three instances of <c>api</c> at ~100 req/s each; minutes [spikeFrom, spikeTo) run at three times that.</summary>
    private static List<AggregateBatch> Fleet(int minutes, int spikeFrom, int spikeTo)
    {
        var random = new Random(5);
        var batches = new List<AggregateBatch>();
        for (var m = 0; m < minutes; m++)
        {
            var start = Origin + (m * Minute);
            var factor = m >= spikeFrom && m < spikeTo ? 3.0 : 1.0;
            var windows = Enumerable.Range(0, 3)
                .Select(i => ServiceWindow("api", i, start, factor * (100 + (10 * Math.Sin(m / 30.0)) + random.NextDouble()), 40 + random.NextDouble()))
                .ToList();
            batches.Add(new AggregateBatch(windows, [], start + Minute));
        }

        return batches;
    }

    private static (AnomalyStage Stage, CapturingPublisher Publisher, List<MetricPoint> Points) Run(IEnumerable<AggregateBatch> batches, AnomalyStageOptions? options = null, IEmergencySignalListener? listener = null)
    {
        var publisher = new CapturingPublisher();
        var stage = new AnomalyStage(options ?? new AnomalyStageOptions(), Quantiles, publisher);
        if (listener is not null)
        {
            stage.AddListener(listener);
        }

        var points = batches.SelectMany(stage.OnWindows).ToList();
        return (stage, publisher, points);
    }

    private static string Tag(MetricPoint p, string key) => p.Tags.Single(t => t.Key == key).Value;

    private static double Field(MetricPoint p, string key) => p.Fields.Single(f => f.Key == key).Value.TryGetNumber(out var v) ? v : double.NaN;

    [Fact]
    public void WhenTheRequestRateTriplesThenOneEmergencyAlertOpensTheScalingStageIsSignalledAndTheAlertResolves()
    {
        var listener = new RecordingListener();
        var (stage, publisher, points) = Run(Fleet(260, 200, 205), listener: listener);

        var spikePoints = points.Where(p => Tag(p, "series") == "request_rate" && Tag(p, "severity") == "emergency").ToList();
        Assert.Equal(Enumerable.Range(200, 5).Select(m => Origin + (m * Minute)), spikePoints.Select(p => p.TimestampNs!.Value));
        var first = spikePoints[0];
        Assert.Equal("anomaly", first.Measurement);
        Assert.Equal("api", Tag(first, "service"));
        Assert.Equal("auto", Tag(first, "detector"));
        Assert.InRange(Field(first, "expected"), 270, 330);
        Assert.InRange(Field(first, "value"), 800, 1000);
        Assert.True(Field(first, "lower") <= Field(first, "expected") && Field(first, "expected") <= Field(first, "upper"));
        Assert.InRange(Field(first, "score"), 0, 1);

        var resolvePoint = points.Single(p => Tag(p, "series") == "request_rate" && p.TimestampNs >= Origin + (200 * Minute) && p.Fields.Any(f => f.Key == "transition" && f.Value.AsString == "resolve"));
        Assert.Equal(Origin + (207 * Minute), resolvePoint.TimestampNs);
        Assert.Equal("none", Tag(resolvePoint, "severity"));

        var signal = Assert.Single(listener.Signals);
        Assert.Equal("api", signal.Service);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds((Origin + (200 * Minute)) / 1_000_000), signal.Timestamp);
        Assert.InRange(signal.Ratio, 2.6, 3.4);

        // The auto detector may raise warnings on the slow drift before the spike; from the spike on there is one episode.
        var requestAlerts = publisher.Messages
            .Where(m => m.Json.RootElement.GetProperty("metric").GetString() == "request_rate" && m.Json.RootElement.GetProperty("timestamp").GetDateTimeOffset() >= DateTimeOffset.FromUnixTimeMilliseconds((Origin + (200 * Minute)) / 1_000_000))
            .ToList();
        Assert.Equal(["firing", "resolved"], requestAlerts.Select(m => m.Json.RootElement.GetProperty("status").GetString()));
        Assert.All(requestAlerts, m => Assert.Equal("api", m.Key));
        var firing = requestAlerts[0].Json.RootElement;
        Assert.Equal("alert/v1", firing.GetProperty("schema").GetString());
        Assert.Equal("anomaly", firing.GetProperty("kind").GetString());
        Assert.Equal("emergency", firing.GetProperty("severity").GetString());
        Assert.Equal("anomaly:auto", firing.GetProperty("rule").GetString());
        Assert.False(firing.GetProperty("renotification").GetBoolean());
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds((Origin + (200 * Minute)) / 1_000_000), firing.GetProperty("starts_at").GetDateTimeOffset());
        var resolved = requestAlerts[1].Json.RootElement;
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds((Origin + (207 * Minute)) / 1_000_000), resolved.GetProperty("timestamp").GetDateTimeOffset());
        Assert.Equal(firing.GetProperty("starts_at").GetString(), resolved.GetProperty("starts_at").GetString());
        Assert.Equal(stage.AlertsPublished, publisher.Messages.Count);
        Assert.Equal(2, stage.SeriesCount);
        Assert.DoesNotContain(points, p => Tag(p, "series") == "cpu_percent" && Tag(p, "severity") == "emergency");
    }

    [Fact]
    public void WhenTheSameBatchesAreReplayedThenTheAlertIdsAreTheSameAndDistinctPerEvent()
    {
        var first = Run(Fleet(230, 200, 203)).Publisher.Messages.Select(m => m.Json.RootElement.GetProperty("id").GetString()).ToList();
        var second = Run(Fleet(230, 200, 203)).Publisher.Messages.Select(m => m.Json.RootElement.GetProperty("id").GetString()).ToList();
        Assert.NotEmpty(first);
        Assert.Equal(first, second);
        Assert.Equal(first.Count, first.Distinct().Count());
        Assert.All(first, id => Assert.Matches("^[0-9a-f]{32}$", id!));
    }

    [Fact]
    public void WhenAnAlertIsSerialisedThenItHasExactlyThePropertiesOfTheSchema()
    {
        using var schema = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "schemas", "alert.v1.schema.json")));
        var required = schema.RootElement.GetProperty("required").EnumerateArray().Select(e => e.GetString()!).Order().ToList();
        var declared = schema.RootElement.GetProperty("properties").EnumerateObject().Select(p => p.Name).Order().ToList();
        var message = Run(Fleet(210, 200, 203)).Publisher.Messages.First().Json.RootElement;
        var names = message.EnumerateObject().Select(p => p.Name).Order().ToList();
        Assert.Equal(declared, names);
        Assert.Equal(required, names);
        Assert.All(message.GetProperty("labels").EnumerateObject(), l => Assert.Equal(JsonValueKind.String, l.Value.ValueKind));
        Assert.Contains("window_start_ns", message.GetProperty("labels").EnumerateObject().Select(l => l.Name));
    }

    [Fact]
    public void WhenAlertsOpenEscalateAndResolveThenEveryMessageValidatesAgainstTheSchema()
    {
        var schema = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "schemas", "alert.v1.schema.json"))).RootElement;
        // A five-minute spike with a two-minute re-notification interval: opens, re-notifies while it lasts, then resolves.
        var messages = Run(Fleet(260, 200, 205), new AnomalyStageOptions { RenotifyInterval = TimeSpan.FromMinutes(2) }).Publisher.Messages;
        var statuses = messages.Select(m => m.Json.RootElement.GetProperty("status").GetString()).ToHashSet();
        Assert.Contains("firing", statuses);
        Assert.Contains("resolved", statuses);
        Assert.Contains(messages, m => m.Json.RootElement.GetProperty("renotification").GetBoolean());
        Assert.All(messages, m => Assert.Empty(JsonSchemaSubsetValidator.Validate(schema, m.Json.RootElement)));
    }

    [Fact]
    public void WhenAllScoresAreWrittenThenEachSeriesCombinesItsGroupAsConfigured()
    {
        var start = Origin;
        var windows = new List<WindowResult>
        {
            ServiceWindow("api", 0, start, 10, 20),
            ServiceWindow("api", 1, start, 30, 60),
            LatencyWindow("api", 0, start, 100),
            LatencyWindow("api", 1, start, 250),
            ServiceWindow("web", 0, start, 5, 50),
            ServiceWindow("api", 2, start, 1000, 99, TimeSpan.FromSeconds(10)),
        };
        var (_, _, points) = Run([new AggregateBatch(windows, [], start + Minute)], new AnomalyStageOptions { WriteAllScores = true });
        double Value(string series, string service) => Field(points.Single(p => Tag(p, "series") == series && Tag(p, "service") == service), "value");
        Assert.Equal(40, Value("request_rate", "api"));
        Assert.Equal(40, Value("cpu_percent", "api"));
        Assert.Equal(250, Value("latency_p95", "api"));
        Assert.Equal(375, Value("latency_p99", "api"));
        Assert.Equal(5, Value("request_rate", "web"));
        Assert.Equal(6, points.Count);
    }

    [Fact]
    public void WhenAWindowArrivesAfterALaterOneOfTheSameSeriesThenItIsSkippedAsLate()
    {
        var later = new AggregateBatch([ServiceWindow("api", 0, Origin + Minute, 10, 10)], [], Origin + (2 * Minute));
        var earlier = new AggregateBatch([ServiceWindow("api", 0, Origin, 10, 10)], [], Origin + (2 * Minute));
        var (stage, _, _) = Run([later, earlier]);
        Assert.Equal(2, stage.LateWindows);
        Assert.Equal(2, stage.WindowsScored);
    }

    [Fact]
    public void WhenAStatisticNamesAQuantileTheWindowsDoNotComputeThenTheStageRefusesToStart()
    {
        var options = new AnomalyStageOptions { Series = [new AnomalySeriesOptions { Name = "x", Measurement = "m", Field = "f", Statistic = "p75" }] };
        var e = Assert.Throws<ArgumentException>(() => new AnomalyStage(options, Quantiles, new CapturingPublisher()));
        Assert.Contains("p75", e.Message, StringComparison.Ordinal);
    }
}
