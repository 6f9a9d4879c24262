using MetricsPipeline.Decisions.Alerts;
using Xunit;
using static MetricsPipeline.Decisions.Tests.Snapshots;

namespace MetricsPipeline.Decisions.Tests;

/// <summary>A firing alert whose metric stops reporting resolves after <see cref="ThresholdAlertRule.NoDataResolveAfter"/>.</summary>
public sealed class ThresholdAlertNoDataTests
{
    private static IReadOnlyList<AlertEnvelope> Cpu(ThresholdAlertEvaluator alerts, int minute, double cpu) =>
        [.. alerts.Evaluate(At(minute, 5, cpu)).Where(a => a.Rule == "cpu_high")];

    [Fact]
    public void WhenAFiringAlertsMetricGoesMissingThenItResolvesAfterTheNoDataTime()
    {
        var alerts = new ThresholdAlertEvaluator();
        Assert.Equal(AlertStatus.Firing, Assert.Single(Cpu(alerts, 0, 97)).Status);
        for (int minute = 1; minute < 11; minute++)
        {
            // Missing from minute 1: 9 minutes without data keep it open.
            Assert.Empty(Cpu(alerts, minute, double.NaN));
        }

        var resolved = Assert.Single(Cpu(alerts, 11, double.NaN));
        Assert.Equal(AlertStatus.Resolved, resolved.Status);
        Assert.Contains("no value for 10 min", resolved.Summary, StringComparison.Ordinal);
        Assert.Empty(Cpu(alerts, 12, double.NaN));
        // Back and breached: a new alert.
        Assert.Equal(AlertStatus.Firing, Assert.Single(Cpu(alerts, 13, 97)).Status);
    }

    [Fact]
    public void WhenTheMetricComesBackBeforeTheNoDataTimeThenTheAlertStaysOpenAndTheClockRestarts()
    {
        var alerts = new ThresholdAlertEvaluator();
        Assert.Single(Cpu(alerts, 0, 97));
        for (int minute = 1; minute < 10; minute++)
        {
            Assert.Empty(Cpu(alerts, minute, double.NaN));
        }

        Assert.Empty(Cpu(alerts, 10, 97));
        for (int minute = 11; minute < 20; minute++)
        {
            Assert.Empty(Cpu(alerts, minute, double.NaN));
        }
    }

    [Fact]
    public void WhenNoDataResolveIsOffThenAMissingMetricLeavesTheAlertOpen()
    {
        var rule = PlaybookAlertRules.Defaults().Single(r => r.Name == "cpu_high") with { NoDataResolveAfter = TimeSpan.Zero };
        var alerts = new ThresholdAlertEvaluator([rule]);
        Assert.Single(Cpu(alerts, 0, 97));
        for (int minute = 1; minute < 120; minute++)
        {
            Assert.Empty(Cpu(alerts, minute, double.NaN));
        }
    }

    [Fact]
    public void WhenTheStateIsRestoredWhileTheMetricIsMissingThenTheNoDataClockCarriesOn()
    {
        var alerts = new ThresholdAlertEvaluator();
        Assert.Single(Cpu(alerts, 0, 97));
        for (int minute = 1; minute < 6; minute++)
        {
            Assert.Empty(Cpu(alerts, minute, double.NaN));
        }

        var restored = new ThresholdAlertEvaluator();
        restored.RestoreState(alerts.SaveState());
        for (int minute = 6; minute < 11; minute++)
        {
            Assert.Empty(Cpu(restored, minute, double.NaN));
        }

        Assert.Equal(AlertStatus.Resolved, Assert.Single(Cpu(restored, 11, double.NaN)).Status);
    }

    [Fact]
    public void WhenAServiceWithAFiringAlertSendsNoMoreSnapshotsThenTheSweepResolvesItAfterTheNoDataTime()
    {
        var alerts = new ThresholdAlertEvaluator();
        Assert.Single(Cpu(alerts, 0, 97));
        Assert.Empty(alerts.Evaluate(At(0, 5, 40, service: "web")));
        Assert.True(alerts.CanResolveForLackOfData);
        for (int minute = 1; minute < 11; minute++)
        {
            // web reports every minute, api nothing from minute 1: silent for 9 minutes keeps its alert open.
            Assert.Empty(alerts.Evaluate(At(minute, 5, 40, service: "web")));
            Assert.Empty(alerts.Sweep(T0.AddMinutes(minute)));
        }

        Assert.Empty(alerts.Evaluate(At(11, 5, 40, service: "web")));
        var resolved = Assert.Single(alerts.Sweep(T0.AddMinutes(11)));
        Assert.Equal((AlertStatus.Resolved, "api", "cpu_high", T0.AddMinutes(11)), (resolved.Status, resolved.Service, resolved.Rule, resolved.Timestamp));
        Assert.Contains("api has sent no snapshot for 10 min", resolved.Summary, StringComparison.Ordinal);
        Assert.False(alerts.CanResolveForLackOfData);
        Assert.Empty(alerts.Sweep(T0.AddMinutes(12)));
    }

    [Fact]
    public void WhenTheServiceReportedAtTheTickThenTheSweepLeavesItsAlertAlone()
    {
        var alerts = new ThresholdAlertEvaluator();
        for (int minute = 0; minute < 30; minute++)
        {
            alerts.Evaluate(At(minute, 5, 97));
            Assert.Empty(alerts.Sweep(T0.AddMinutes(minute)));
        }
    }

    [Fact]
    public void WhenNoDataResolveIsOffThenASilentServiceKeepsItsAlertOpen()
    {
        var rule = PlaybookAlertRules.Defaults().Single(r => r.Name == "cpu_high") with { NoDataResolveAfter = TimeSpan.Zero };
        var alerts = new ThresholdAlertEvaluator([rule]);
        Assert.Single(Cpu(alerts, 0, 97));
        Assert.False(alerts.CanResolveForLackOfData);
        for (int minute = 1; minute < 120; minute++)
        {
            Assert.Empty(alerts.Sweep(T0.AddMinutes(minute)));
        }
    }
}
