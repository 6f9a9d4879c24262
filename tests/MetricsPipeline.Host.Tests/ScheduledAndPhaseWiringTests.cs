using System.Text.Json;
using MetricsPipeline.Analytics.Pipeline;
using MetricsPipeline.Analytics.Windows;
using MetricsPipeline.Decisions.Schemas;
using MetricsPipeline.Host.Hosting;
using MetricsPipeline.Host.Stages;
using Microsoft.Extensions.Configuration;
using Xunit;
using static MetricsPipeline.Host.Tests.StageWindows;

namespace MetricsPipeline.Host.Tests;

/// <summary>Scheduled minimums and growth phases configured on the decision stage, on fabricated closed windows.</summary>
public sealed class ScheduledAndPhaseWiringTests
{
    /// <summary>One batch with every instance's <c>service</c> window of that minute.</summary>
    private static AggregateBatch Minute(int minute, int instances, double cpu, double users) =>
        new([.. Enumerable.Range(0, instances).Select(i => new WindowResult(
            i,
            "service",
            [new("instance", $"api-{i}"), new("service", "api")],
            TimeSpan.FromMinutes(1),
            T0 + (minute * MinuteNs),
            [Stat("request_rate", 100.0 / instances), Stat("cpu_percent", cpu), Stat("memory_percent", 45), Stat("instances", instances), Stat("active_users", users / instances)]))],
            [], T0 + ((minute + 1) * MinuteNs));

    private static List<JsonElement> Run(ScalingStageOptions options, Func<int, AggregateBatch> minute, int minutes)
    {
        var commands = new List<JsonElement>();
        var stage = new ScalingStage(options, new PipelineSettings(), (topic, _, value) =>
        {
            if (topic == "scaling-commands")
            {
                commands.Add(JsonDocument.Parse(value).RootElement.Clone());
            }
        });
        for (int m = 0; m < minutes; m++)
        {
            stage.OnWindows(minute(m));
        }

        return commands;
    }

    private static ScalingStageOptions Options() => new() { PredictiveEnabled = false, AlertsEnabled = false, Cost = { Enabled = false } };

    private static void AssertValid(JsonElement command)
    {
        var schema = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "schemas", "scaling-command.v1.schema.json"))).RootElement;
        Assert.Empty(JsonSchemaSubsetValidator.Validate(schema, command));
    }

    [Fact]
    public void WhenAScheduleIsConfiguredThenTheStagePublishesItsMinimumAsAScheduledCommand()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Analytics:Scaling:Schedules:0:Name"] = "midnight-batch",
            ["Analytics:Scaling:Schedules:0:Service"] = "api",
            ["Analytics:Scaling:Schedules:0:Cron"] = "0 0 * * 0",
            ["Analytics:Scaling:Schedules:0:Duration"] = "02:00:00",
            ["Analytics:Scaling:Schedules:0:MinInstances"] = "6",
        }).Build();
        var options = Options();
        configuration.GetSection("Analytics:Scaling").Bind(options);

        var commands = Run(options, m => Minute(m, 3, 40, 0), 5);

        var command = Assert.Single(commands); // the same command is not repeated while the fleet has not acted
        Assert.Equal(("scheduled", "midnight-batch", 3, 6), (command.GetProperty("trigger").GetString(), command.GetProperty("rule").GetString(),
            command.GetProperty("current_instances").GetInt32(), command.GetProperty("target_instances").GetInt32()));
        AssertValid(command);
    }

    [Fact]
    public void WhenGrowthPhasesAreConfiguredThenThePhaseCapsReactiveScaleOutAndATransitionIsACommand()
    {
        var options = Options();
        options.Phases = [new() { Name = "startup", MinActiveUsers = 0, MinInstances = 1, MaxInstances = 2 }, new() { Name = "growth", MinActiveUsers = 1_000, MinInstances = 4, MaxInstances = 10 }];
        // Minutes 0–2: 500 users, 2 instances at 95 % CPU: reactive wants 3, the startup phase allows 2. Minute 3: 1 500 users.
        var commands = Run(options, m => Minute(m, 2, 95, m < 3 ? 500 : 1_500), 4);

        var command = Assert.Single(commands);
        Assert.Equal(("phase", "phase_growth", 2, 4), (command.GetProperty("trigger").GetString(), command.GetProperty("rule").GetString(),
            command.GetProperty("current_instances").GetInt32(), command.GetProperty("target_instances").GetInt32()));
        Assert.Equal(T0 + (4 * MinuteNs), (command.GetProperty("issued_at").GetDateTimeOffset() - DateTimeOffset.UnixEpoch).Ticks * 100);
        AssertValid(command);

        // Without phases the same minutes scale out at once.
        var reactive = Run(Options(), m => Minute(m, 2, 95, 500), 1);
        Assert.Equal("reactive", Assert.Single(reactive).GetProperty("trigger").GetString());
    }

    [Theory]
    [InlineData("0 25 * * *", "Analytics:Scaling:Schedules 'bad'")]
    [InlineData("0 8 * *", "five fields")]
    public void WhenAScheduleIsInvalidThenTheStageRefusesToStartNamingIt(string cron, string expected)
    {
        var options = Options();
        options.Schedules = [new() { Name = "bad", Service = "api", Cron = cron, MinInstances = 2 }];
        var ex = Assert.Throws<ArgumentException>(() => new ScalingStage(options, new PipelineSettings(), (_, _, _) => { }));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }
}
