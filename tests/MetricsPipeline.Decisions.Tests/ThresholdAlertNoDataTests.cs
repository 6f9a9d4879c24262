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
}
