using System.Diagnostics;
using System.Text.Json;
using Xunit;

namespace MetricsPipeline.FaultInjection.Tests;

/// <summary>
/// <c>run --state-dir DIR</c> killed with <c>kill -9</c> while windows are open, then restarted in the same consumer
/// group with the same state directory, beside an uninterrupted instance of another group reading the same records.
/// The restarted instance restores the partitions' checkpoints (closed-through time, offsets, stage state) and
/// replays from the offsets they cover, so no window is lost and every window equals the uninterrupted run's: a window
/// written after the last checkpoint may be written again, identically; scaling commands may be published again, but
/// always with the same deterministic id for the same decision.
/// </summary>
public class KillAndRestartTests
{
    [Fact]
    public async Task WhenRunIsKilledMidWindowAndRestartedThenNoWindowIsLostAndEveryWindowEqualsTheUninterruptedRun()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var rig = await PipelineRig.StartAsync(ct);
        var outA = Path.Combine(rig.Directory, "a");
        var outB = Path.Combine(rig.Directory, "b");
        var a = rig.StartRun("run-a", "fault-a", outA, PipelineRig.FreePort());
        var state = Path.Combine(rig.Directory, "state-b");
        var b1 = rig.StartRun("run-b1", "fault-b", outB, PipelineRig.FreePort(), stateDirectory: state);

        // One instance per service, and a tripled load on both from the first minute on, overload them whatever the time
        // of day (the fleet's load follows the wall clock's daily and weekly cycle: at a Sunday-night trough one instance
        // alone was not overloaded and no command was issued), so the decision stage issues scaling commands.
        var fleet = rig.StartFleet(
            "--services", "2", "--instances", "1", "--latency-samples", "5", "--history", "0s", "--duration", "20m", "--speed", "60",
            "--incident", "spike:api:1m:15m:3", "--incident", "spike:checkout:1m:15m:3");

        // Let b1 consume and checkpoint some windows, then kill it with windows open.
        await PipelineRig.WaitUntilAsync(async () => await b1.MetricAsync("pipeline_windows_closed_total", ct) > 0, TimeSpan.FromSeconds(60), () => rig.Logs, ct);
        await PipelineRig.WaitUntilAsync(() => Task.FromResult(PartitionCheckpoints(state) > 0), TimeSpan.FromSeconds(60), () => rig.Logs, ct);
        await Task.Delay(TimeSpan.FromSeconds(2), ct); // wall time for more records to arrive: windows are open at the kill
        var consumedBeforeKill = await b1.MetricAsync("pipeline_messages_received_total", ct);
        var writtenBeforeKill = await b1.MetricAsync("pipeline_sink_written_total{sink=\"files\"}", ct);
        var closedBeforeKill = await b1.MetricAsync("pipeline_windows_closed_total", ct);
        b1.Process.Kill();

        var restart = Stopwatch.StartNew();
        var checkpointsAtKill = PartitionCheckpoints(state);
        var b2 = rig.StartRun("run-b2", "fault-b", outB, PipelineRig.FreePort(), stateDirectory: state);
        await PipelineRig.WaitUntilAsync(async () => await b2.MetricAsync("pipeline_messages_received_total", ct) > 0, TimeSpan.FromSeconds(60), () => rig.Logs, ct);
        var recovery = restart.Elapsed;

        var produced = await PipelineRig.WaitForFleetAsync(fleet, TimeSpan.FromSeconds(90), ct);
        await PipelineRig.WaitForDrainedAsync([a], 1, TimeSpan.FromSeconds(60), ct, () => rig.Logs);
        await PipelineRig.WaitForDrainedAsync([b2], 1, TimeSpan.FromSeconds(60), ct, () => rig.Logs);
        await rig.CloseFleetWindowsAsync([a, b2], ct);
        var consumedAfterRestart = await b2.MetricAsync("pipeline_messages_received_total", ct) - 1; // without the marker
        var lateAfterRestart = await b2.MetricAsync("pipeline_late_points_total", ct);
        await a.StopAsync(ct);
        await b2.StopAsync(ct);

        var reprocessed = consumedBeforeKill + consumedAfterRestart - produced.Messages;
        var restored = RestoredPartitions(b2);
        Numbers.Report("kill-9", $"state dir held {checkpointsAtKill} partition checkpoints at the kill; the restart resumed {restored} partitions from their checkpoints");
        Assert.True(restored > 0, "the restarted instance restored no checkpoint:\n" + b2.Process.Output);
        Numbers.Report(
            "kill-9",
            $"recovery {recovery.TotalSeconds:F1} s from restart to first record; messages {produced.Messages}, consumed before kill {consumedBeforeKill}, after restart {consumedAfterRestart}, reprocessed {reprocessed}; before the kill b1 had closed {closedBeforeKill} windows and written {writtenBeforeKill} points; late points after restart {lateAfterRestart}");

        var uninterrupted = WindowOutput.Read(PipelineRig.FleetMeasurements, outA);
        var recovered = WindowOutput.Read(PipelineRig.FleetMeasurements, outB);
        Numbers.Report("kill-9", $"windows {uninterrupted.Windows.Count}; the recovered group wrote {recovered.Lines} window lines, {recovered.Duplicates} of them again");
        Assert.Empty(uninterrupted.Conflicts);
        Assert.Equal(0, uninterrupted.Duplicates);
        foreach (var window in new[] { "10s", "1m" })
        {
            var counted = uninterrupted.CountedPoints(window);
            foreach (var measurement in PipelineRig.FleetMeasurements)
            {
                Assert.Equal(produced.PointsByMeasurement[measurement], counted.GetValueOrDefault(measurement));
            }
        }

        Assert.True(recovered.Conflicts.Count == 0, "windows written twice with different values:\n" + string.Join('\n', recovered.Conflicts.Take(5)));
        var differences = WindowOutput.Differences(uninterrupted, recovered);
        Assert.True(differences.Count == 0, string.Join('\n', differences) + "\n" + b2.Process.Output);

        // Scaling commands: the same decision always carries the same id, however often it was published.
        var commands = TopicReader.ReadAll(rig.Bootstrap, "scaling-commands", TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(60))
            .Select(json => JsonDocument.Parse(json).RootElement)
            .ToList();
        Assert.NotEmpty(commands);
        var decisions = commands.GroupBy(c => $"{c.GetProperty("service").GetString()}|{c.GetProperty("action").GetString()}|{c.GetProperty("target_instances")}|{c.GetProperty("issued_at").GetString()}");
        foreach (var decision in decisions)
        {
            Assert.Single(decision.Select(c => c.GetProperty("id").GetString()).Distinct());
        }
    }

    /// <summary>Partition checkpoint files in a state directory (any group).</summary>
    internal static int PartitionCheckpoints(string state) =>
        Directory.Exists(state) ? Directory.EnumerateFiles(state, "*.ckpt", SearchOption.AllDirectories).Count(f => !Path.GetFileName(f).StartsWith("stages-", StringComparison.Ordinal)) : 0;

    /// <summary>Partitions the source started at a checkpoint's offset ("… starts at offset N (committed M)").</summary>
    internal static int RestoredPartitions(RunInstance instance) =>
        instance.Process.Output.Split('\n').Count(l => l.Contains(" starts at offset ", StringComparison.Ordinal));
}
