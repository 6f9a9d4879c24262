using System.Text.Json;
using Xunit;

namespace MetricsPipeline.Host.Tests;

/// <summary>
/// <c>metrics-pipeline simulate</c> as a child process: the summary.json keys of issue 6 item 8, every policy name and a
/// JSON config, and that each fleet option reaches the result.
/// </summary>
public class SimulateCliTests
{
    private static readonly string[] SummaryKeys =
        ["policy", "cost", "oracle_cost", "static_cost", "slo_violation_minutes", "total_minutes", "scaling_actions", "oscillations", "mean_utilization"];

    /// <summary>Six hours of 1-minute request rates: a 2-hour wave around 1 000/s and a step up to 2 400/s in hour 4.</summary>
    private static string WriteTrace(CliScratch scratch) =>
        scratch.WriteSeries(
            "load.csv",
            Enumerable.Range(0, 360).Select(i => 1000 + (400 * Math.Sin(2 * Math.PI * i / 120)) + (i is >= 200 and < 260 ? 1000 : 0)).ToArray(),
            TimeSpan.FromMinutes(1));

    private static async Task<JsonElement> SimulateAsync(CliScratch scratch, string name, params string[] args)
    {
        string output = scratch.PathOf($"{name}.json");
        await scratch.RunOkAsync(["simulate", "--trace", scratch.PathOf("load.csv"), "--output", output, .. args]);
        var summary = scratch.ReadJson($"{name}.json");
        foreach (string key in SummaryKeys)
        {
            Assert.True(summary.TryGetProperty(key, out _), $"{name}: summary.json has no '{key}'");
        }

        return summary;
    }

    private static double Number(JsonElement summary, string key) => summary.GetProperty(key).GetDouble();

    [Fact]
    public async Task WhenEachPolicyNameOrAJsonConfigIsSimulatedThenTheSummaryHasEveryKeyAndNoPolicyIsCheaperThanTheOracle()
    {
        using var scratch = new CliScratch("simulate-policies");
        WriteTrace(scratch);
        string config = scratch.PathOf("eager.json");
        File.WriteAllText(config, """{ "name": "eager-reactive", "policy": "reactive", "reactive": { "target_cpu_percent": 35 } }""");
        string[] policies = ["static", "reactive", "hpa", "predictive", config];
        var summaries = new Dictionary<string, JsonElement>();
        foreach (string policy in policies)
        {
            // --trace and --policy (with the output path) are a complete call.
            summaries[policy] = await SimulateAsync(scratch, Path.GetFileNameWithoutExtension(policy), "--policy", policy);
        }

        foreach (var (policy, summary) in summaries)
        {
            string expectedName = policy == config ? "eager-reactive" : policy;
            Assert.Equal(expectedName, summary.GetProperty("policy").GetString());
            Assert.Equal(360, summary.GetProperty("total_minutes").GetInt32());
            Assert.True(Number(summary, "oracle_cost") > 0);
            Assert.True(Number(summary, "oracle_cost") <= Number(summary, "cost") + 1e-9, $"{policy}: oracle {Number(summary, "oracle_cost")} > cost {Number(summary, "cost")}");
            Assert.InRange(Number(summary, "mean_utilization"), 0, 1);
            Assert.InRange(summary.GetProperty("slo_violation_minutes").GetInt32(), 0, 360);
            Assert.True(summary.GetProperty("scaling_actions").GetInt32() >= 0 && summary.GetProperty("oscillations").GetInt32() >= 0);
            // The hindsight peak rule is a reference for the adaptive policies only, and keeps within the run's violations.
            Assert.Equal(policy != "static", summary.TryGetProperty("peak_rule_cost", out _));
            if (policy != "static")
            {
                Assert.True(Number(summary, "peak_rule_cost") >= Number(summary, "oracle_cost") - 1e-9);
                Assert.True(summary.GetProperty("peak_rule_slo_violation_minutes").GetInt32() <= summary.GetProperty("slo_violation_minutes").GetInt32());
                Assert.Equal(Number(summary, "peak_rule_cost") / Number(summary, "oracle_cost"), Number(summary, "peak_rule_vs_oracle"), 6);
            }
        }

        // The adaptive policies act on the wave and the step; the config's lower CPU target keeps more instances.
        Assert.True(summaries["reactive"].GetProperty("scaling_actions").GetInt32() > 0);
        Assert.True(summaries["predictive"].GetProperty("scaling_actions").GetInt32() > 0);
        Assert.True(Number(summaries[config], "cost") > Number(summaries["reactive"], "cost"), $"target 35 %: {Number(summaries[config], "cost")}, default: {Number(summaries["reactive"], "cost")}");
    }

    [Fact]
    public async Task WhenTheSloCapacityStartupDelayPriceOrInstanceLimitsChangeThenTheSummaryFollows()
    {
        using var scratch = new CliScratch("simulate-options");
        WriteTrace(scratch);
        var baseline = await SimulateAsync(scratch, "baseline", "--policy", "reactive");
        double capacity = Number(baseline, "capacity_per_instance");

        // Price: every cost is proportional to it (summary.json rounds costs to 4 decimals).
        var doublePrice = await SimulateAsync(scratch, "price", "--policy", "reactive", "--price", "0.2");
        foreach (string key in new[] { "cost", "oracle_cost", "static_cost" })
        {
            Assert.Equal(2 * Number(baseline, key), Number(doublePrice, key), 2e-4);
        }

        // Capacity per instance: twice as large an instance needs about half the instances at the peak.
        var bigger = await SimulateAsync(scratch, "capacity", "--policy", "reactive", "--capacity-per-instance", (2 * capacity).ToString("R", System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(2 * capacity, Number(bigger, "capacity_per_instance"), 1e-5);
        Assert.True(Number(bigger, "static_cost") < 0.6 * Number(baseline, "static_cost"), $"static {Number(bigger, "static_cost")} vs {Number(baseline, "static_cost")}");
        Assert.True(Number(bigger, "oracle_cost") < 0.6 * Number(baseline, "oracle_cost"));

        // SLO: a tighter p95 leaves less utilisation headroom, so the oracle must run more instances.
        var tight = await SimulateAsync(scratch, "slo", "--policy", "reactive", "--slo-p95-ms", "250");
        Assert.True(Number(tight, "slo_max_utilization") < Number(baseline, "slo_max_utilization"));
        Assert.True(Number(tight, "oracle_cost") > Number(baseline, "oracle_cost"));

        // Start-up delay: instances ordered for the step arrive 40 minutes late instead of 3, so more minutes break the SLO.
        var slow = await SimulateAsync(scratch, "startup", "--policy", "reactive", "--startup-delay", "40m");
        Assert.True(
            slow.GetProperty("slo_violation_minutes").GetInt32() > baseline.GetProperty("slo_violation_minutes").GetInt32(),
            $"violations with 40m start-up {slow.GetProperty("slo_violation_minutes")}, with 3m {baseline.GetProperty("slo_violation_minutes")}");

        // Min and max instances bound the fleet: 6 hours at 0.10 per instance-hour.
        var floor = await SimulateAsync(scratch, "min", "--policy", "reactive", "--min-instances", "40");
        Assert.True(Number(floor, "cost") >= (40 * 0.10 * 6) - 1e-9, $"cost with at least 40 instances: {Number(floor, "cost")}");
        var ceiling = await SimulateAsync(scratch, "max", "--policy", "reactive", "--max-instances", "3");
        Assert.True(ceiling.GetProperty("peak_instances").GetInt32() <= 3);
        Assert.True(Number(ceiling, "cost") <= (3 * 0.10 * 6) + 1e-9, $"cost with at most 3 instances: {Number(ceiling, "cost")}");
        Assert.True(ceiling.GetProperty("slo_violation_minutes").GetInt32() > baseline.GetProperty("slo_violation_minutes").GetInt32());
    }

    [Fact]
    public async Task WhenThePolicyOrItsConfigIsUnknownOrTheTraceIsMissingMalformedOrTooShortThenSimulateFailsNamingTheProblem()
    {
        using var scratch = new CliScratch("simulate-errors");
        string trace = WriteTrace(scratch);
        string output = scratch.PathOf("summary.json");

        var policy = await scratch.RunAsync("simulate", "--trace", trace, "--policy", "clairvoyant", "--output", output);
        Assert.NotEqual(0, policy.ExitCode);
        Assert.Contains("Unknown policy 'clairvoyant'", policy.StandardError, StringComparison.Ordinal);

        var missing = await scratch.RunAsync("simulate", "--trace", scratch.PathOf("absent.csv"), "--policy", "reactive", "--output", output);
        Assert.NotEqual(0, missing.ExitCode);
        Assert.Contains("absent.csv", missing.StandardError, StringComparison.Ordinal);

        string malformed = scratch.PathOf("malformed.csv");
        File.WriteAllLines(malformed, ["timestamp,value", "2026-01-01 00:00:00,10", "2026-01-01 00:01:00,lots"]);
        var bad = await scratch.RunAsync("simulate", "--trace", malformed, "--policy", "reactive", "--output", output);
        Assert.NotEqual(0, bad.ExitCode);
        Assert.Contains("malformed:3", bad.StandardError, StringComparison.Ordinal);
        string config = scratch.PathOf("sideways.json");
        File.WriteAllText(config, """{ "policy": "sideways" }""");
        var badConfig = await scratch.RunAsync("simulate", "--trace", trace, "--policy", config, "--output", output);
        Assert.NotEqual(0, badConfig.ExitCode);
        Assert.Contains("sideways.json", badConfig.StandardError, StringComparison.Ordinal);

        string single = scratch.PathOf("single.csv");
        File.WriteAllLines(single, ["timestamp,value", "2026-01-01 00:00:00,10"]);
        var tooShort = await scratch.RunAsync("simulate", "--trace", single, "--policy", "reactive", "--output", output);
        Assert.NotEqual(0, tooShort.ExitCode);
        Assert.Contains("at least two points", tooShort.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("(Parameter", tooShort.StandardError, StringComparison.Ordinal);
        Assert.False(File.Exists(output), "a failed simulation writes no summary");

        // Out-of-range settings are named by the option the user typed, not by a property of the code.
        (string[] Args, string Message)[] settings =
        [
            (["--slo-p95-ms", "0"], "--slo-p95-ms must be positive"),
            (["--base-p95-ms", "600"], "--base-p95-ms must be positive and below --slo-p95-ms 500"),
            (["--capacity-per-instance", "-2"], "--capacity-per-instance must be positive"),
            (["--price", "-0.1"], "--price must be zero or positive"),
            (["--min-instances", "5", "--max-instances", "3"], "--min-instances and --max-instances must satisfy"),
        ];
        foreach (var (args, message) in settings)
        {
            var run = await scratch.RunAsync(["simulate", "--trace", trace, "--policy", "reactive", "--output", output, .. args]);
            Assert.NotEqual(0, run.ExitCode);
            Assert.Contains(message, run.StandardError, StringComparison.Ordinal);
        }

        Assert.False(File.Exists(output), "a failed simulation writes no summary");
    }

    [Fact]
    public async Task WhenTraceRowsRepeatATimestampThenSimulateKeepsTheLastAndWarnsOnStandardError()
    {
        using var scratch = new CliScratch("simulate-duplicates");
        WriteTrace(scratch);
        // Lines 13 and 15 repeat the timestamps of the lines before them.
        var lines = File.ReadAllLines(scratch.PathOf("load.csv")).ToList();
        string first = lines[11].Split(',')[0] + ",1500";
        lines.Insert(12, first);
        lines.Insert(14, lines[13].Split(',')[0] + ",900");
        File.WriteAllLines(scratch.PathOf("load.csv"), lines);

        var run = await scratch.RunOkAsync(["simulate", "--trace", scratch.PathOf("load.csv"), "--policy", "reactive", "--output", scratch.PathOf("dup.json")]);
        Assert.Contains("warning", run.StandardError, StringComparison.Ordinal);
        Assert.Contains("2 rows repeat", run.StandardError, StringComparison.Ordinal);
        Assert.Contains($"load:13: '{first}'", run.StandardError, StringComparison.Ordinal);
        Assert.Equal(360, scratch.ReadJson("dup.json").GetProperty("total_minutes").GetInt32());
    }
}
