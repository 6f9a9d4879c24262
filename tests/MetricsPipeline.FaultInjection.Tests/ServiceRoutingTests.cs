using System.Diagnostics;
using System.Text.Json;
using MetricsPipeline.Kafka;
using Xunit;

namespace MetricsPipeline.FaultInjection.Tests;

/// <summary>
/// Service-level decisions across a consumer group: the fleet routes its series by the <c>service</c> tag
/// (<c>--partition-by-tag service</c>), so every series of a service is on one partition and the member owning it builds
/// the whole service's snapshot. A single instance and a pair (Kafka state store; the member owning the overloaded
/// service is killed with <c>kill -9</c> mid-run) publish their scaling commands and alerts to topics of their own; the
/// pair's distinct command ids and alert ids must equal the single instance's (the survivor restores the taken-over
/// service's detector, alert and scaling state from the victim's checkpoint of its partition).
/// </summary>
public class ServiceRoutingTests
{
    [Fact]
    public async Task WhenTheFleetRoutesByServiceAndAMemberIsKilledThenThePairPublishesTheSingleInstancesCommandIds()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var rig = await PipelineRig.StartAsync(ct);
        var solo = rig.StartRun("run-solo", "route-solo", Path.Combine(rig.Directory, "solo"), PipelineRig.FreePort(), Config(rig, "route-solo", "cmd-solo", "alerts-solo", kafkaState: false));
        var first = rig.StartRun("run-p1", "route-pair", Path.Combine(rig.Directory, "pair"), PipelineRig.FreePort(), Config(rig, "route-pair", "cmd-pair", "alerts-pair", kafkaState: true));
        var second = rig.StartRun("run-p2", "route-pair", Path.Combine(rig.Directory, "pair"), PipelineRig.FreePort(), Config(rig, "route-pair", "cmd-pair", "alerts-pair", kafkaState: true));
        await PipelineRig.WaitUntilAsync(
            () => Task.FromResult(Assignment(first).Count > 0 && Assignment(second).Count > 0 && Assignment(first).Count + Assignment(second).Count == 12),
            TimeSpan.FromSeconds(60),
            () => rig.Logs,
            ct);

        // Two instances per service; a 5x spike on api overloads it, so the decision stage issues scaling commands.
        var fleet = rig.StartFleet(
            "--services", "2", "--instances", "2", "--latency-samples", "5", "--history", "0s", "--duration", "20m", "--speed", "60",
            "--incident", "spike:api:2m:10m:5", "--partition-by-tag", "service");
        var apiPartition = SeriesPartitioner.Partition("api"u8, 12);
        var (victim, survivor) = Assignment(first).Contains(apiPartition) ? (first, second) : (second, first);
        await PipelineRig.WaitUntilAsync(async () => await victim.MetricAsync("pipeline_checkpoints_total", ct) > 0 && await victim.MetricAsync("pipeline_windows_closed_total", ct) > 0, TimeSpan.FromSeconds(60), () => rig.Logs, ct);
        var assignedBefore = Assignment(survivor).Count;
        victim.Process.Kill();
        var takeover = Stopwatch.StartNew();
        await PipelineRig.WaitUntilAsync(() => Task.FromResult(Assignment(survivor).Count == 12), TimeSpan.FromSeconds(60), () => rig.Logs, ct);
        Numbers.Report("service-routing", $"survivor owned {assignedBefore} partitions, all 12 {takeover.Elapsed.TotalSeconds:F1} s after kill -9 of the owner of api's partition {apiPartition}");

        await PipelineRig.WaitForFleetAsync(fleet, TimeSpan.FromSeconds(90), ct);
        await PipelineRig.WaitForDrainedAsync([solo], 1, TimeSpan.FromSeconds(60), ct, () => rig.Logs);
        await PipelineRig.WaitForDrainedAsync([survivor], 1, TimeSpan.FromSeconds(60), ct, () => rig.Logs);
        await rig.CloseFleetWindowsAsync([solo, survivor], ct);
        await solo.StopAsync(ct);
        await survivor.StopAsync(ct);

        var single = Commands(rig, "cmd-solo");
        var pair = Commands(rig, "cmd-pair");
        Numbers.Report("service-routing", $"single instance published {single.Count} commands ({Ids(single).Count} distinct ids), the pair {pair.Count} ({Ids(pair).Count} distinct ids)");
        Assert.NotEmpty(single);
        Assert.Contains(single, c => c.Service == "api");
        Assert.Equal(Ids(single), Ids(pair));

        var singleAlerts = AlertIds(rig, "alerts-solo");
        var pairAlerts = AlertIds(rig, "alerts-pair");
        Numbers.Report("service-routing", $"single instance published {singleAlerts.Count} distinct alert ids, the pair {pairAlerts.Count}");
        Assert.Equal(singleAlerts, pairAlerts);
    }

    // Anomaly and threshold alerts: the id is deterministic (rule or series, service, status, severity, window).
    private static SortedSet<string> AlertIds(PipelineRig rig, string topic) =>
        new(
            TopicReader.ReadAll(rig.Bootstrap, topic, TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(60))
                .Select(json => JsonDocument.Parse(json).RootElement.GetProperty("id").GetString()!),
            StringComparer.Ordinal);

    private static SortedSet<string> Ids(List<Command> commands) => new(commands.Select(c => $"{c.Id} {c.Service} {c.Action} {c.Target} {c.IssuedAt}"), StringComparer.Ordinal);

    private static List<Command> Commands(PipelineRig rig, string topic) =>
        TopicReader.ReadAll(rig.Bootstrap, topic, TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(60))
            .Select(json => JsonDocument.Parse(json).RootElement)
            .Select(c => new Command(c.GetProperty("id").GetString()!, c.GetProperty("service").GetString()!, c.GetProperty("action").GetString()!, c.GetProperty("target_instances").ToString(), c.GetProperty("issued_at").GetString()!))
            .ToList();

    private static Dictionary<string, object> Config(PipelineRig rig, string group, string commandTopic, string alertTopic, bool kafkaState)
    {
        // The rig's Kafka section is replaced whole by an extra one, so it is repeated here with the command topic.
        var config = new Dictionary<string, object>
        {
            ["Kafka"] = new Dictionary<string, object>
            {
                ["BootstrapServers"] = rig.Bootstrap,
                ["GroupId"] = group,
                ["Consumer"] = new Dictionary<string, string> { ["session.timeout.ms"] = "3000", ["heartbeat.interval.ms"] = "500" },
                ["Topics"] = new Dictionary<string, string> { ["ScalingCommands"] = commandTopic, ["Alerts"] = alertTopic },
            },
        };
        if (kafkaState)
        {
            config["Analytics"] = new Dictionary<string, object>
            {
                ["Windows"] = new Dictionary<string, string> { ["IdleTimeout"] = "00:00:02" },
                ["State"] = new Dictionary<string, string> { ["Store"] = "kafka", ["Interval"] = PipelineRig.CheckpointInterval },
            };
        }

        return config;
    }

    // The member's current assignment: its "Assigned", "Revoked" and "Lost" lines replayed in order (the group rebalances
    // cooperatively, so a line lists only the partitions that changed). A member the group fenced (a process starved on
    // a loaded machine) loses its partitions instead of revoking them (seen: "Lost" all 12, then "Assigned" 6);
    // replaying only "Revoked" kept the lost ones and the wait for the 6 + 6 split timed out.
    private static HashSet<int> Assignment(RunInstance instance)
    {
        var owned = new HashSet<int>();
        foreach (var line in instance.Process.Output.Split('\n'))
        {
            var word = new[] { "Assigned", "Revoked", "Lost" }.FirstOrDefault(w => line.Contains("KafkaSource[0] " + w + " ", StringComparison.Ordinal));
            if (word is null)
            {
                continue;
            }

            var assigned = word == "Assigned";
            var marker = "KafkaSource[0] " + word;
            foreach (var partition in line[(line.IndexOf(marker, StringComparison.Ordinal) + marker.Length)..]
                .Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                .Where(p => p.StartsWith("metrics/", StringComparison.Ordinal))
                .Select(p => int.Parse(p["metrics/".Length..], System.Globalization.CultureInfo.InvariantCulture)))
            {
                if (assigned)
                {
                    owned.Add(partition);
                }
                else
                {
                    owned.Remove(partition);
                }
            }
        }

        return owned;
    }

    private sealed record Command(string Id, string Service, string Action, string Target, string IssuedAt);
}
