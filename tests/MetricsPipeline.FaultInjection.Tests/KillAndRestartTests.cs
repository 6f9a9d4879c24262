using System.Diagnostics;
using System.Text.Json;
using Xunit;

namespace MetricsPipeline.FaultInjection.Tests;

/// <summary>
/// <c>run</c> killed with <c>kill -9</c> while windows are open, then restarted in the same consumer group, beside
/// an uninterrupted instance of another group reading the same records.
/// Guarantee stated exactly (what holds with committed offsets, without checkpointed state): offsets are committed
/// only for records whose every window was written, so after a crash the restarted instance re-reads every record
/// of every window that was not yet written and rebuilds those windows from scratch. Hence no window is lost; a
/// window may be written twice (at-least-once), and every copy is identical to the uninterrupted run's; scaling
/// commands may be published again, but always with the same deterministic id for the same decision.
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
        var b1 = rig.StartRun("run-b1", "fault-b", outB, PipelineRig.FreePort());

        // One instance per service overloads it, so the decision stage issues scaling commands.
        var fleet = rig.StartFleet("--services", "2", "--instances", "1", "--latency-samples", "5", "--history", "0s", "--duration", "20m", "--speed", "60");

        // Let b1 consume and commit some windows, then kill it with windows open.
        await PipelineRig.WaitUntilAsync(async () => await b1.MetricAsync("pipeline_windows_closed_total", ct) > 0, TimeSpan.FromSeconds(60), () => rig.Logs, ct);
        await Task.Delay(TimeSpan.FromSeconds(2), ct); // wall time for more records to arrive: windows are open at the kill
        var consumedBeforeKill = await b1.MetricAsync("pipeline_messages_received_total", ct);
        var writtenBeforeKill = await b1.MetricAsync("pipeline_sink_written_total{sink=\"files\"}", ct);
        var closedBeforeKill = await b1.MetricAsync("pipeline_windows_closed_total", ct);
        b1.Process.Kill();

        var restart = Stopwatch.StartNew();
        var b2 = rig.StartRun("run-b2", "fault-b", outB, PipelineRig.FreePort());
        await PipelineRig.WaitUntilAsync(async () => await b2.MetricAsync("pipeline_messages_received_total", ct) > 0, TimeSpan.FromSeconds(60), () => rig.Logs, ct);
        var recovery = restart.Elapsed;

        var produced = await PipelineRig.WaitForFleetAsync(fleet, TimeSpan.FromSeconds(90), ct);
        await PipelineRig.WaitForDrainedAsync([a], 1, TimeSpan.FromSeconds(60), ct, () => rig.Logs);
        await PipelineRig.WaitForDrainedAsync([b2], 1, TimeSpan.FromSeconds(60), ct, () => rig.Logs);
        var consumedAfterRestart = await b2.MetricAsync("pipeline_messages_received_total", ct);
        var lateAfterRestart = await b2.MetricAsync("pipeline_late_points_total", ct);
        await a.StopAsync(ct);
        await b2.StopAsync(ct);

        var reprocessed = consumedBeforeKill + consumedAfterRestart - produced.Messages;
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
        Assert.True(differences.Count == 0, string.Join('\n', differences));

        // Scaling commands: the same decision always carries the same id, however often it was published.
        var commands = TopicReader.ReadAll(rig.Bootstrap, "scaling-commands", TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(30))
            .Select(json => JsonDocument.Parse(json).RootElement)
            .ToList();
        Assert.NotEmpty(commands);
        var decisions = commands.GroupBy(c => $"{c.GetProperty("service").GetString()}|{c.GetProperty("action").GetString()}|{c.GetProperty("target_instances")}|{c.GetProperty("issued_at").GetString()}");
        foreach (var decision in decisions)
        {
            Assert.Single(decision.Select(c => c.GetProperty("id").GetString()).Distinct());
        }
    }
}
