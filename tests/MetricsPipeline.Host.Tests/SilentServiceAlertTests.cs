using System.Text.Json;
using MetricsPipeline.Analytics.Windows;
using MetricsPipeline.Host.Hosting;
using MetricsPipeline.Host.Stages;
using Xunit;
using static MetricsPipeline.Host.Tests.StageWindows;

namespace MetricsPipeline.Host.Tests;

/// <summary>
/// The decision stage sweeps every service it has alert state for at each evaluation tick: a firing threshold alert of
/// a service that stops sending snapshots resolves after the rule's no-data time, as one whose metric went missing does.
/// </summary>
public sealed class SilentServiceAlertTests
{
    internal static WindowResult Window(string service, int minute, double cpu) =>
        new(0, "service", [new("instance", service + "-0"), new("service", service)], TimeSpan.FromMinutes(1), T0 + (minute * MinuteNs),
            [Stat("request_rate", 100), Stat("cpu_percent", cpu), Stat("memory_percent", 45), Stat("instances", 2)]);

    /// <summary>One batch closing <paramref name="minute"/> with a window of each of <paramref name="services"/> (api at 97 % CPU, the others at 40 %).</summary>
    internal static AggregateBatch Minute(int minute, params string[] services) =>
        new([.. services.Select(s => Window(s, minute, s == "api" ? 97 : 40))], [], T0 + ((minute + 1) * MinuteNs));

    internal static (ScalingStage Stage, List<JsonElement> Alerts) Stage(TimeSpan? alertStateRetention = null)
    {
        var alerts = new List<JsonElement>();
        var options = new ScalingStageOptions { PredictiveEnabled = false, Cost = { Enabled = false } };
        options.AlertStateRetention = alertStateRetention ?? options.AlertStateRetention;
        var stage = new ScalingStage(options, new PipelineSettings(), (topic, _, value) =>
        {
            if (topic == "alerts")
            {
                alerts.Add(JsonDocument.Parse(value).RootElement.Clone());
            }
        });
        return (stage, alerts);
    }

    internal static List<JsonElement> Cpu(List<JsonElement> alerts, string service) =>
        [.. alerts.Where(a => a.GetProperty("rule").GetString() == "cpu_high" && a.GetProperty("service").GetString() == service)];

    internal static long Ns(JsonElement alert) => (alert.GetProperty("timestamp").GetDateTimeOffset() - DateTimeOffset.UnixEpoch).Ticks * 100;

    [Fact]
    public void WhenAServiceWithAFiringAlertGoesSilentWhileOthersReportThenItsAlertResolvesAfterTheNoDataTime()
    {
        var (stage, alerts) = Stage();
        for (int m = 0; m < 3; m++)
        {
            stage.OnWindows(Minute(m, "api", "web"));
        }

        Assert.Equal("firing", Assert.Single(Cpu(alerts, "api")).GetProperty("status").GetString());
        // api sends nothing from minute 3 on; web goes on reporting.
        for (int m = 3; m < 40; m++)
        {
            stage.OnWindows(Minute(m, "web"));
        }

        var api = Cpu(alerts, "api");
        Assert.Equal(2, api.Count);
        var resolved = api[1];
        Assert.Equal("resolved", resolved.GetProperty("status").GetString());
        Assert.Contains("no snapshot", resolved.GetProperty("summary").GetString(), StringComparison.Ordinal);
        // The first tick without a snapshot ends minute 3 (T0 + 4 min); the default no-data time is 10 minutes.
        Assert.Equal(T0 + (14 * MinuteNs), Ns(resolved));
        Assert.Empty(Cpu(alerts, "web"));
    }

    [Fact]
    public void WhenEveryServiceGoesSilentButEventTimeMovesOnThenTheAlertStillResolves()
    {
        var (stage, alerts) = Stage();
        stage.OnWindows(Minute(0, "api"));
        Assert.Single(Cpu(alerts, "api"));
        // Other measurements move the closed-through time on; no service window arrives. Batches of 7 minutes: the
        // result does not depend on how the stream is cut into batches.
        for (int m = 1; m < 40; m += 7)
        {
            stage.OnWindows(new AggregateBatch([], [], T0 + ((m + 7) * MinuteNs)));
        }

        var resolved = Cpu(alerts, "api")[^1];
        Assert.Equal("resolved", resolved.GetProperty("status").GetString());
        Assert.Equal(T0 + (12 * MinuteNs), Ns(resolved));
        // The shutdown drain (closed through the end of time) sweeps nothing more and returns.
        int before = alerts.Count;
        stage.OnWindows(new AggregateBatch([], [], long.MaxValue));
        Assert.Equal(before, alerts.Count);
    }

    [Fact]
    public void WhenTheSilentServiceComesBackBeforeTheNoDataTimeThenItsAlertStaysOpen()
    {
        var (stage, alerts) = Stage();
        stage.OnWindows(Minute(0, "api", "web"));
        for (int m = 1; m < 9; m++)
        {
            stage.OnWindows(Minute(m, "web"));
        }

        for (int m = 9; m < 30; m++)
        {
            stage.OnWindows(Minute(m, "api", "web"));
        }

        Assert.Equal("firing", Assert.Single(Cpu(alerts, "api")).GetProperty("status").GetString());
    }
}
