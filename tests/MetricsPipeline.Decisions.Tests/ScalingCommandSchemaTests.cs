using System.Text.Json.Nodes;
using MetricsPipeline.Decisions.Commands;
using MetricsPipeline.Decisions.Scaling;
using MetricsPipeline.Decisions.Simulation;
using MetricsPipeline.Fleet;
using Xunit;

namespace MetricsPipeline.Decisions.Tests;

public sealed class ScalingCommandSchemaTests
{
    private const string Schema = "scaling-command.v1.schema.json";

    [Theory]
    [InlineData("reactive")]
    [InlineData("hpa")]
    [InlineData("predictive")]
    public void WhenPoliciesRunOnTheFleetThenEveryEmittedCommandValidatesAgainstTheSchema(string policy)
    {
        var trace = Traces.Fleet(2, new TrafficSpike("api", Traces.Start.AddDays(1).AddHours(12), TimeSpan.FromHours(1), 4));
        var commands = new List<ScalingCommand>();
        new ClosedLoopSimulator().Run(trace, SimulationPolicy.Parse(policy), commands.Add);
        Assert.NotEmpty(commands);
        foreach (var command in commands)
        {
            RepositoryFiles.AssertValid(Schema, ScalingCommandJson.ToJson(command));
        }

        if (policy == "predictive")
        {
            Assert.Contains(commands, c => c.Forecast is not null);
        }
    }

    [Fact]
    public void WhenAnAdvisoryEmergencyAndMinCommandAreSerialisedThenTheyValidate()
    {
        var advisory = new PredictiveScalingPolicy(new PredictiveScalingOptions { Mode = PredictiveScalingMode.ForecastOnly, CapacityPerInstance = 10 },
            _ => new Forecasts.SsaLoadForecaster()).Evaluate(Snapshots.At(0, 2, 50, rate: 100));
        Assert.NotNull(advisory);
        Assert.True(advisory.Advisory);
        var emergency = new ReactiveScalingPolicy().Evaluate(Snapshots.At(0, 5, 50) with { RequestRateAnomaly = true });
        var minimum = new ReactiveScalingPolicy(new ScalingPolicyOptions { MinInstances = 2 }).Evaluate(Snapshots.At(0, 1, 50));
        foreach (var command in new[] { advisory, emergency!, minimum! })
        {
            RepositoryFiles.AssertValid(Schema, ScalingCommandJson.ToJson(command));
            var parsed = ScalingCommandJson.Parse(ScalingCommandJson.ToJson(command))!;
            Assert.Equal(command, parsed with { Metrics = command.Metrics });
            Assert.Equal(command.Metrics, parsed.Metrics);
        }
    }

    [Theory]
    [InlineData("trigger", "\"magic\"")]
    [InlineData("target_instances", "1.5")]
    [InlineData("id", "\"not-hex\"")]
    [InlineData("schema", "\"scaling-command/v2\"")]
    [InlineData("extra", "1")]
    public void WhenACommandIsCorruptedThenTheValidatorRejectsIt(string key, string json)
    {
        var command = new ReactiveScalingPolicy().Evaluate(Snapshots.At(0, 4, 95))!;
        var node = JsonNode.Parse(ScalingCommandJson.ToJson(command))!.AsObject();
        node[key] = JsonNode.Parse(json);
        Assert.ThrowsAny<Exception>(() => RepositoryFiles.AssertValid(Schema, node.ToJsonString()));
        node.Remove(key);
        if (key != "extra")
        {
            Assert.ThrowsAny<Exception>(() => RepositoryFiles.AssertValid(Schema, node.ToJsonString()));
        }
    }
}
