using System.Diagnostics;
using Xunit;

namespace MetricsPipeline.FaultInjection.Tests;

/// <summary>
/// Two <c>run</c> instances in one consumer group, checkpointing to the compacted Kafka topic <c>&lt;group&gt;.state</c>
/// (<c>Analytics:State:Store = kafka</c>, what instances on different machines use), share the partitions; one is killed
/// with <c>kill -9</c>; the survivor is assigned the dead one's partitions after the session timeout, restores their
/// checkpoints from the topic and replays from the offsets they cover. A taken-over partition whose checkpoint is behind
/// the survivor's own windows catches up against its own checkpoint instead of dropping its replayed points as late.
/// Asserted exactly: every window the pair wrote equals the uninterrupted single instance's, and none is missing.
/// </summary>
public class ScaleOutTests
{
    [Fact]
    public async Task WhenOneOfTwoInstancesIsKilledThenTheSurvivorTakesOverAndNothingIsLostSilently()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var rig = await PipelineRig.StartAsync(ct);
        var outSolo = Path.Combine(rig.Directory, "solo");
        var outPair = Path.Combine(rig.Directory, "pair");
        var solo = rig.StartRun("run-solo", "fault-solo", outSolo, PipelineRig.FreePort());
        Dictionary<string, object> KafkaState() => new()
        {
            ["Analytics"] = new Dictionary<string, object>
            {
                ["State"] = new Dictionary<string, string> { ["Store"] = "kafka", ["Interval"] = "00:00:02" },
            },
        };
        var first = rig.StartRun("run-p1", "fault-pair", outPair, PipelineRig.FreePort(), KafkaState());
        var second = rig.StartRun("run-p2", "fault-pair", outPair, PipelineRig.FreePort(), KafkaState());

        // Both members must own partitions (the group settles on 6 + 6) before the kill.
        await PipelineRig.WaitUntilAsync(
            () => Task.FromResult(OwnsPartitions(first) && OwnsPartitions(second) && (Revoked(first) || Revoked(second))),
            TimeSpan.FromSeconds(60),
            () => rig.Logs,
            ct);
        var fleet = rig.StartFleet("--services", "4", "--instances", "2", "--latency-samples", "5", "--history", "0s", "--duration", "20m", "--speed", "60");
        await PipelineRig.WaitUntilAsync(
            async () => await second.MetricAsync("pipeline_windows_closed_total", ct) > 0 && await first.MetricAsync("pipeline_windows_closed_total", ct) > 0,
            TimeSpan.FromSeconds(60),
            () => rig.Logs,
            ct);
        await PipelineRig.WaitUntilAsync(async () => await second.MetricAsync("pipeline_checkpoints_total", ct) > 0, TimeSpan.FromSeconds(60), () => rig.Logs, ct);
        var assignedBefore = AssignedLines(first);
        var restoredBefore = KillAndRestartTests.RestoredPartitions(first);
        second.Process.Kill();
        var takeover = Stopwatch.StartNew();
        await PipelineRig.WaitUntilAsync(() => Task.FromResult(AssignedLines(first) > assignedBefore), TimeSpan.FromSeconds(60), () => rig.Logs, ct);
        Numbers.Report("two-instances", $"survivor assigned the dead member's partitions {takeover.Elapsed.TotalSeconds:F1} s after kill -9");
        await PipelineRig.WaitUntilAsync(() => Task.FromResult(KillAndRestartTests.RestoredPartitions(first) > restoredBefore), TimeSpan.FromSeconds(30), () => rig.Logs, ct);
        Numbers.Report("two-instances", $"survivor resumed {KillAndRestartTests.RestoredPartitions(first) - restoredBefore} taken-over partitions from their checkpoints");

        var produced = await PipelineRig.WaitForFleetAsync(fleet, TimeSpan.FromSeconds(90), ct);
        await PipelineRig.WaitForDrainedAsync([solo], 1, TimeSpan.FromSeconds(60), ct, () => rig.Logs);
        await PipelineRig.WaitForDrainedAsync([first], 1, TimeSpan.FromSeconds(60), ct, () => rig.Logs);
        await rig.CloseFleetWindowsAsync([solo, first], ct);
        var lateSolo = await solo.MetricAsync("pipeline_late_points_total", ct);
        var lateSurvivor = await first.MetricAsync("pipeline_late_points_total", ct);
        var replayedSurvivor = await first.MetricAsync("pipeline_replayed_points_total", ct);
        await solo.StopAsync(ct);
        await first.StopAsync(ct);

        var single = WindowOutput.Read(PipelineRig.FleetMeasurements, outSolo);
        var pair = WindowOutput.Read(PipelineRig.FleetMeasurements, outPair);
        Numbers.Report("two-instances", $"windows {single.Windows.Count}; the pair wrote {pair.Lines} window lines, {pair.Duplicates} of them again; late points: single {lateSolo}, survivor {lateSurvivor} (replayed {replayedSurvivor}); http_request counted single {single.CountedPoints("10s").GetValueOrDefault("http_request")}, pair {pair.CountedPoints("10s").GetValueOrDefault("http_request")}, produced {produced.PointsByMeasurement["http_request"]}");
        Assert.Empty(single.Conflicts);
        Assert.Equal(produced.PointsByMeasurement["http_request"], single.CountedPoints("10s").GetValueOrDefault("http_request"));
        Assert.True(pair.Conflicts.Count == 0, "windows written twice with different values:\n" + string.Join('\n', pair.Conflicts.Take(5)));
        var differences = WindowOutput.Differences(single, pair, int.MaxValue);
        Assert.True(differences.Count == 0, $"{differences.Count} differences from the single instance (survivor late points {lateSurvivor}):\n" + string.Join('\n', differences.Take(10)));

        // The fleet sends nothing late: what the survivor re-read from the dead member's checkpoints is replayed, not
        // late, so operators do not read a takeover as data loss (issue 9).
        Assert.Equal(0, lateSolo);
        Assert.Equal(0, lateSurvivor);
    }

    private static int AssignedLines(RunInstance instance) => instance.Process.Output.Split('\n').Count(l => l.Contains("KafkaSource[0] Assigned", StringComparison.Ordinal));

    // Whichever member the group gave every partition first gives up half of them when the other one joins.
    private static bool OwnsPartitions(RunInstance instance) => instance.Process.Output.Contains("KafkaSource[0] Assigned metrics/", StringComparison.Ordinal);

    // Giving up partitions is logged "Revoked", or "Lost" when the group fenced the member (a process starved on a loaded machine).
    private static bool Revoked(RunInstance instance) =>
        instance.Process.Output.Contains("KafkaSource[0] Revoked", StringComparison.Ordinal) || instance.Process.Output.Contains("KafkaSource[0] Lost", StringComparison.Ordinal);
}
