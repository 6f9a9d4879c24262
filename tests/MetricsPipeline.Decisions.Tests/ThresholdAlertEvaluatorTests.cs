using System.Text.Json;
using MetricsPipeline.Decisions.Alerts;
using MetricsPipeline.Decisions.Commands;
using MetricsPipeline.Decisions.Scaling;
using Xunit;
using static MetricsPipeline.Decisions.Tests.Snapshots;

namespace MetricsPipeline.Decisions.Tests;

public sealed class ThresholdAlertEvaluatorTests
{
    private static ThresholdAlertRule Cpu(TimeSpan? forDuration = null, TimeSpan? renotify = null) =>
        PlaybookAlertRules.Defaults().Single(r => r.Name == "cpu_high") with
        {
            For = forDuration ?? TimeSpan.Zero,
            RenotifyInterval = renotify ?? TimeSpan.FromHours(1),
        };

    private static List<(int Minute, AlertEnvelope Alert)> Run(ThresholdAlertEvaluator evaluator, params double[] cpuPerMinute) =>
        RunCpu(evaluator, cpuPerMinute);

    [Fact]
    public void WhenCpuCrossesTheWarningThresholdThenTheAlertFiresAtTheFirstEvaluation()
    {
        var events = Run(new ThresholdAlertEvaluator([Cpu()]), 50, 82, 82);
        var (minute, alert) = Assert.Single(events);
        Assert.Equal(1, minute);
        Assert.Equal(AlertStatus.Firing, alert.Status);
        Assert.Equal(AlertSeverity.Warning, alert.Severity);
        Assert.Equal(80, alert.Threshold);
        Assert.False(string.IsNullOrEmpty(alert.Playbook));
    }

    [Fact]
    public void WhenAForDurationIsSetThenTheAlertFiresOnceItHasHeldThatLong()
    {
        var events = Run(new ThresholdAlertEvaluator([Cpu(TimeSpan.FromMinutes(3))]), 50, 82, 82, 82, 82, 82);
        Assert.Equal(4, Assert.Single(events).Minute); // breach seen at 1, held 3 minutes at 4
    }

    [Fact]
    public void WhenTheValueDropsBetweenThresholdAndResetThenTheLevelHolds()
    {
        // 92 → critical; 87 is below 90 but above its reset 85 → holds; 84 → back to warning (above 75); 70 → resolved.
        var events = Run(new ThresholdAlertEvaluator([Cpu()]), 92, 87, 84, 78, 70);
        Assert.Equal(
            [(0, AlertStatus.Firing, AlertSeverity.Critical), (2, AlertStatus.Firing, AlertSeverity.Warning), (4, AlertStatus.Resolved, AlertSeverity.Warning)],
            events.Select(e => (e.Minute, e.Alert.Status, e.Alert.Severity)));
    }

    [Fact]
    public void WhenTheValueJumpsToEmergencyThenTheHighestLevelFires()
    {
        var (_, alert) = Assert.Single(Run(new ThresholdAlertEvaluator([Cpu()]), 97));
        Assert.Equal(AlertSeverity.Emergency, alert.Severity);
    }

    [Fact]
    public void WhenAnAlertStaysFiringThenItIsRenotifiedAfterTheInterval()
    {
        var events = Run(new ThresholdAlertEvaluator([Cpu(renotify: TimeSpan.FromMinutes(10))]), Enumerable.Repeat(85.0, 25).ToArray());
        Assert.Equal([0, 10, 20], events.Select(e => e.Minute));
        Assert.Equal([false, true, true], events.Select(e => e.Alert.Renotification));
        Assert.All(events, e => Assert.Equal(Snapshots.T0, e.Alert.StartsAt));
    }

    [Fact]
    public void WhenTheAlertFlapsThenNotificationsAreSuppressedUntilItSettles()
    {
        var cpu = new List<double>();
        for (int i = 0; i < 10; i++)
        {
            cpu.Add(85);
            cpu.Add(60);
        }

        cpu.AddRange(Enumerable.Repeat(60.0, 40));
        var events = Run(new ThresholdAlertEvaluator([Cpu()]), [.. cpu]);
        Assert.All(events, e => RepositoryFiles.AssertValid("alert.v1.schema.json", AlertJson.ToJson(e.Alert)));
        Assert.Equal(7, events.Count(e => e.Alert.Status != AlertStatus.Flapping)); // 6 changes, then suppressed
        var flapping = Assert.Single(events, e => e.Alert.Status == AlertStatus.Flapping);
        Assert.Equal(6, flapping.Minute);
        var last = events[^1];
        Assert.Equal(AlertStatus.Resolved, last.Alert.Status);
        Assert.Equal(19 + 30, last.Minute); // last change at 19, settled after the 30-minute window
    }

    [Fact]
    public void WhenEveryPlaybookRuleFiresThenItsEnvelopeValidatesAgainstTheSchema()
    {
        var evaluator = new ThresholdAlertEvaluator();
        var hot = new ServiceSnapshot("api", T0, 5)
        {
            CpuPercent = 96, MemoryPercent = 99, LatencyP95Ms = 6000, ErrorRatePercent = 7, QueueDepth = 1500, DbConnections = 97, DbPoolSize = 100,
        };
        var events = evaluator.Evaluate(hot);
        Assert.Equal(6, events.Count);
        Assert.Equal(
            ["cpu_high", "db_pool_high", "error_rate_high", "memory_high", "queue_depth_high", "response_time_high"],
            events.Select(e => e.Rule).Order());
        var resolved = evaluator.Evaluate(new ServiceSnapshot("api", T0.AddMinutes(1), 5)
        {
            CpuPercent = 10, MemoryPercent = 10, LatencyP95Ms = 100, ErrorRatePercent = 0, QueueDepth = 0, DbConnections = 1, DbPoolSize = 100,
        });
        Assert.All(resolved, e => Assert.Equal(AlertStatus.Resolved, e.Status));
        foreach (var e in events.Concat(resolved))
        {
            var json = AlertJson.ToJson(e);
            RepositoryFiles.AssertValid("alert.v1.schema.json", json);
            // The scaling stage serialises through JsonSerializer with the decision options: the same serialiser, the same bytes.
            Assert.Equal(json, JsonSerializer.Serialize(e, DecisionJson.Options));
        }
    }

    [Fact]
    public void WhenAnAlertIsSerialisedThenItsPropertiesFollowTheSchemaOrderAndItsTimesAreUtc()
    {
        var alert = new ThresholdAlertEvaluator([Cpu()]).Evaluate(At(0, 5, 92)).Single() with
        {
            // A snapshot time with an offset is still written in UTC.
            Timestamp = new DateTimeOffset(2026, 11, 2, 10, 30, 0, TimeSpan.FromHours(2)),
        };
        using var doc = JsonDocument.Parse(AlertJson.ToUtf8(alert));
        var schema = RepositoryFiles.Schema("alert.v1.schema.json");
        Assert.Equal(schema.GetProperty("properties").EnumerateObject().Select(p => p.Name), doc.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal("2026-11-02T08:00:00.0000000Z", doc.RootElement.GetProperty("starts_at").GetString());
        Assert.Equal("2026-11-02T08:30:00.0000000Z", doc.RootElement.GetProperty("timestamp").GetString());
        Assert.Equal(JsonValueKind.Object, doc.RootElement.GetProperty("labels").ValueKind);
        Assert.Empty(doc.RootElement.GetProperty("labels").EnumerateObject());
    }

    [Fact]
    public void WhenAnAlertIsParsedThenEveryFieldRoundTripsAndLabelsKeepTheirOrder()
    {
        var alert = new ThresholdAlertEvaluator([Cpu()]).Evaluate(At(0, 5, 96.5)).Single() with
        {
            Labels = [new("zone", "b"), new("region", "eu")],
        };
        var parsed = AlertJson.Parse(AlertJson.ToJson(alert));
        Assert.NotNull(parsed);
        Assert.Equal(alert with { Labels = [] }, parsed with { Labels = [] });
        Assert.Equal(alert.Labels, parsed.Labels);
        Assert.Equal(AlertJson.ToJson(alert), AlertJson.ToJson(parsed));
        Assert.Throws<JsonException>(() => AlertJson.Parse(AlertJson.ToJson(alert).Replace("alert/v1", "alert/v2", StringComparison.Ordinal)));
    }

    [Fact]
    public void WhenAValueIsNotFiniteThenTheMessageStillValidatesWithZero()
    {
        var alert = new ThresholdAlertEvaluator([Cpu()]).Evaluate(At(0, 5, 92)).Single() with { Value = double.NaN, Threshold = double.PositiveInfinity };
        var json = AlertJson.ToJson(alert);
        RepositoryFiles.AssertValid("alert.v1.schema.json", json);
        using var doc = JsonDocument.Parse(json);
        Assert.Equal(0, doc.RootElement.GetProperty("value").GetDouble());
        Assert.Equal(0, doc.RootElement.GetProperty("threshold").GetDouble());
    }

    [Fact]
    public void WhenAnAlertIsWrittenToInfluxThenItIsALineProtocolPointAtTheEventTime()
    {
        var alert = new ThresholdAlertEvaluator([Cpu()]).Evaluate(At(0, 5, 92)).Single();
        string line = MetricsPipeline.Ingest.LineProtocol.LineProtocolWriter.ToLine(AlertPoints.ToPoint(alert)).TrimEnd();
        Assert.True(line.StartsWith("alert,kind=threshold,rule=cpu_high,service=api,severity=critical,status=firing value=92,threshold=90,renotification=false,summary=", StringComparison.Ordinal), line);
        Assert.EndsWith(" " + ((T0.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100), line, StringComparison.Ordinal);
    }
}
