using MetricsPipeline.Decisions.Alerts;
using Xunit;
using static MetricsPipeline.Decisions.Tests.Snapshots;

namespace MetricsPipeline.Decisions.Tests;

public sealed class ThresholdAlertRestoreTests
{
    [Fact]
    public void WhenAStateIsRestoredIntoARuleWithFewerLevelsThenAStillBreachedAlertSendsNoSpuriousChange()
    {
        var playbook = new ThresholdAlertEvaluator();
        var fired = Assert.Single(playbook.Evaluate(At(0, 5, 97)), a => a.Rule == "cpu_high");
        Assert.Equal(AlertSeverity.Emergency, fired.Severity);

        // The operator now keeps a single level for cpu_high (warning above 80), and the pipeline restarts from the checkpoint.
        var single = PlaybookAlertRules.Defaults().Single(r => r.Name == "cpu_high") with { Levels = [new(AlertSeverity.Warning, 80, 75)] };
        var restored = new ThresholdAlertEvaluator([single]);
        restored.RestoreState(playbook.SaveState());
        Assert.Empty(restored.Evaluate(At(1, 5, 97))); // still firing: no new event
        var resolved = Assert.Single(restored.Evaluate(At(2, 5, 50)));
        Assert.Equal((AlertStatus.Resolved, AlertSeverity.Warning), (resolved.Status, resolved.Severity));
    }
}
