using System.Text.Json;
using MetricsPipeline.Analytics.Pipeline;
using MetricsPipeline.Analytics.Windows;
using MetricsPipeline.Anomaly.Streaming;
using MetricsPipeline.Decisions.Schemas;
using MetricsPipeline.Forecasting.Streaming;
using MetricsPipeline.Host.Forecasting;
using MetricsPipeline.Host.Hosting;
using MetricsPipeline.Host.Stages;
using MetricsPipeline.Ingest.Model;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace MetricsPipeline.Host.Tests;

/// <summary>
/// The decision stage wired to its producers, on fabricated closed windows (no broker, no InfluxDB): forecasts drive
/// predictive commands, anomaly traffic spikes the emergency path, and instance counts the cost engine with its
/// <c>cost-alert/v1</c> messages.
/// </summary>
public sealed class DecisionWiringTests
{
    private const long MinuteNs = 60_000_000_000;

    // 2026-03-01T00:00:00Z: a month start, so the days of the test are whole days of one month.
    private const long T0 = 1_772_323_200L * 1_000_000_000;

    private static readonly PipelineSettings Settings = new();

    private sealed record Message(string Topic, string Key, JsonDocument Json);

    private static WindowResult ServiceWindow(string service, int instance, int minute, double requestRate, double cpu, int instances) =>
        new(
            instance,
            "service",
            [new("instance", $"{service}-{instance}"), new("service", service)],
            TimeSpan.FromMinutes(1),
            T0 + (minute * MinuteNs),
            [
                Stat("request_rate", requestRate),
                Stat("cpu_percent", cpu),
                Stat("memory_percent", 45),
                Stat("instances", instances),
            ]);

    private static WindowFieldStats Stat(string field, double v) => new(field, 6, 6 * v, v, v, [v, v, v, v]);

    /// <summary>One batch per minute with every instance's window of that minute.</summary>
    private static AggregateBatch Minute(int minute, string service, int instances, double totalRate, double cpu) =>
        new([.. Enumerable.Range(0, instances).Select(i => ServiceWindow(service, i, minute, totalRate / instances, cpu, instances))], [], T0 + ((minute + 1) * MinuteNs));

    private static (ScalingStage Stage, List<Message> Messages) Scaling(ScalingStageOptions options)
    {
        var messages = new List<Message>();
        var stage = new ScalingStage(options, Settings, (topic, key, value) => messages.Add(new Message(topic, key, JsonDocument.Parse(value))));
        return (stage, messages);
    }

    private static JsonElement Schema(string file) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "schemas", file))).RootElement;

    [Fact]
    public void WhenTheStagesAreConnectedThenTheScalingStageRunsAfterTheForecastAndAnomalyStages()
    {
        var (scaling, _) = Scaling(new ScalingStageOptions());
        var forecast = new ForecastStage(new StreamForecastEngine(new StreamForecastOptions(), null), ["p50", "p90", "p95", "p99"], NullLogger.Instance);
        var anomaly = new AnomalyStage(new AnomalyStageOptions(), Settings.Windows.Quantiles, new NullPublisher());

        var ordered = StageLinks.Connect([scaling, forecast, anomaly]);

        Assert.Equal(["forecast", "anomaly", "scaling"], ordered.Select(s => s.Name));
    }

    [Fact]
    public void WhenTheAnomalyStageSignalsATrafficSpikeThenTheSameWindowTakesTheEmergencyPath()
    {
        // Predictive off and no reactive rule near its threshold: only the spike can scale.
        var (stage, messages) = Scaling(new ScalingStageOptions { PredictiveEnabled = false, Cost = { Enabled = false } });
        var (unsignalled, unsignalledMessages) = Scaling(new ScalingStageOptions { PredictiveEnabled = false, Cost = { Enabled = false } });
        for (int m = 0; m < 20; m++)
        {
            stage.OnWindows(Minute(m, "api", 2, 200, 40));
            unsignalled.OnWindows(Minute(m, "api", 2, 200, 40));
        }

        Assert.DoesNotContain(messages, x => x.Topic == "scaling-commands");
        unsignalled.OnWindows(Minute(20, "api", 2, 380, 50));
        Assert.DoesNotContain(unsignalledMessages, x => x.Topic == "scaling-commands");

        // The window of minute 20 shows 1.9× the load: below the policy's own 3× spike ratio, but the anomaly stage
        // (which runs first) flagged it.
        stage.OnTrafficSpike(new TrafficSpikeSignal("api", DateTimeOffset.FromUnixTimeMilliseconds((T0 + (20 * MinuteNs)) / 1_000_000), 1.9, 200, 380));
        var points = stage.OnWindows(Minute(20, "api", 2, 380, 50));

        var command = Assert.Single(messages, x => x.Topic == "scaling-commands").Json.RootElement;
        Assert.Equal("emergency", command.GetProperty("trigger").GetString());
        Assert.Equal("traffic_spike", command.GetProperty("rule").GetString());
        Assert.Equal(4, command.GetProperty("target_instances").GetInt32());
        var point = Assert.Single(points, p => p.Measurement == "scaling");
        Assert.Equal("emergency", point.GetTag("trigger"));
        Assert.Contains("1.9× its baseline", point.GetField("reason")!.Value.AsString, StringComparison.Ordinal);
    }

    [Fact]
    public void WhenTheForecastStageForecastsRisingLoadThenThePredictiveCommandCarriesTheForecast()
    {
        var options = new ScalingStageOptions { Cost = { Enabled = false }, CapacityPerInstance = { ["api"] = 100 } };
        var (stage, messages) = Scaling(options);
        var forecast = new ForecastStage(
            new StreamForecastEngine(new StreamForecastOptions { Series = [new ForecastSeriesOptions { Name = "request_rate" }], Horizon = 10, TrainSize = 60, WindowSize = 12, MaxRank = 4 }, null),
            ["p50", "p90", "p95", "p99"],
            NullLogger.Instance);
        var stages = StageLinks.Connect([stage, forecast]);

        // A steady ramp: 120 req/s rising by 1 per minute on 2 instances of capacity 100; CPU stays at 50 % so that no
        // reactive rule competes with the predictive policy.
        for (int m = 0; m < 140; m++)
        {
            double rate = 120 + m;
            var batch = Minute(m, "api", 2, rate, 50);
            foreach (var s in stages)
            {
                s.OnWindows(batch);
            }
        }

        var predictive = messages.Where(x => x.Topic == "scaling-commands" && x.Json.RootElement.GetProperty("trigger").GetString() == "predictive").ToList();
        Assert.NotEmpty(predictive);
        var withForecast = predictive.Select(x => x.Json.RootElement).Where(c => c.TryGetProperty("forecast", out var f) && f.ValueKind == JsonValueKind.Object).ToList();
        // Ahead of a rising load the upper bound, not the current load, sizes the fleet.
        Assert.Contains(withForecast, c => c.GetProperty("rule").GetString() == "forecast_upper_bound"
            && c.GetProperty("forecast").GetProperty("upper").GetDouble() > c.GetProperty("metrics").GetProperty("request_rate").GetDouble()
            && c.GetProperty("target_instances").GetInt32() > c.GetProperty("current_instances").GetInt32());
        // The stream's SSA forecast reaches the policy, which weighs it against its own smoothed forecasts and names the
        // one that sized each command (on a straight ramp a trend-following one wins).
        Assert.True(stage.TryGetLoadForecast("api", out var streamForecast));
        Assert.Equal(10, streamForecast.Horizon);
        Assert.All(withForecast, c => Assert.False(string.IsNullOrEmpty(c.GetProperty("forecast").GetProperty("model").GetString())));
        Assert.Equal(100, stage.CapacityOf("api"));
        var schema = Schema("scaling-command.v1.schema.json");
        Assert.All(predictive, x => Assert.Empty(JsonSchemaSubsetValidator.Validate(schema, x.Json.RootElement)));
    }

    [Fact]
    public void WhenAServiceRunsWithoutConfiguredCapacityThenItIsEstimatedFromItsCpu()
    {
        var (stage, _) = Scaling(new ScalingStageOptions { Cost = { Enabled = false }, CapacityEstimateWindows = 10 });
        for (int m = 0; m < 12; m++)
        {
            // 300 req/s on 3 instances at 40 % CPU: 100 req/s per instance is 40 % of 250.
            stage.OnWindows(Minute(m, "api", 3, 300, 40));
        }

        Assert.Equal(250, stage.CapacityOf("api"), 6);
    }

    [Fact]
    public void WhenAWindowsRequestRateIsInfiniteThenTheCapacityEstimateIgnoresIt()
    {
        // Before: +Inf req/s (an overflowed counter rate) made a one-window estimate +Inf, and the predictive policy built
        // on it sized every service at its minimum (any demand over infinite capacity is none).
        var (stage, _) = Scaling(new ScalingStageOptions { Cost = { Enabled = false }, CapacityEstimateWindows = 1 });
        stage.OnWindows(Minute(0, "api", 3, double.PositiveInfinity, 40));
        Assert.True(double.IsNaN(stage.CapacityOf("api")));
        stage.OnWindows(Minute(1, "api", 3, 300, 40));
        Assert.Equal(250, stage.CapacityOf("api"), 6);
    }

    [Fact]
    public void WhenADaysInstanceCountJumpsThenTheCostEngineWritesDailyCostProjectionsAndACostAnomaly()
    {
        var options = new ScalingStageOptions
        {
            PredictiveEnabled = false,
            AlertsEnabled = false,
            PricePerInstanceHour = 0.5,
        };
        var (stage, messages) = Scaling(options);
        var points = new List<MetricPoint>();
        // Nine days at 2 instances (hourly windows are enough for spend), then a tenth day at 6: the fleet was scaled
        // out by hand, and the engine bills what the fleet reports.
        const int minutesPerDay = 1440;
        for (int day = 0; day < 11; day++)
        {
            int instances = day == 9 ? 6 : 2;
            for (int m = 0; m < minutesPerDay; m += 60)
            {
                points.AddRange(stage.OnWindows(Minute((day * minutesPerDay) + m, "api", instances, 100, 20)));
            }
        }

        var daily = points.Where(p => p.Measurement == "cost" && p.GetField("daily_cost") is not null && p.GetTag("scope") == "api").ToList();
        Assert.Equal(10, daily.Count);
        // 24 hourly windows billed for one minute each (the window length) at 2 × 0.5 per hour.
        Assert.Equal(24 * 2 * 0.5 / 60, daily[0].GetField("daily_cost")!.Value.AsDouble, 9);
        Assert.Contains(points, p => p.GetTag("horizon") == "monthly" && p.GetField("projected_cost") is not null);
        Assert.Contains(points, p => p.GetTag("period") == "monthly" && p.GetField("budget") is not null && p.GetField("spend") is not null);

        var costAlerts = messages.Where(x => x.Topic == "cost-alerts").Select(x => x.Json.RootElement).ToList();
        var anomaly = Assert.Single(costAlerts, a => a.GetProperty("type").GetString() == "cost_anomaly" && a.GetProperty("scope").GetString() == "api");
        Assert.Equal("2026-03-10", anomaly.GetProperty("day").GetString());
        Assert.Contains(costAlerts, a => a.GetProperty("type").GetString() == "recommendation");
        var schema = Schema("cost-alert.v1.schema.json");
        Assert.All(costAlerts, a => Assert.Empty(JsonSchemaSubsetValidator.Validate(schema, a)));
        Assert.Contains(points, p => p.Measurement == "alert" && p.GetTag("kind") == "cost" && p.GetTag("rule") == "cost_anomaly");
    }

    [Fact]
    public void WhenSpendCrossesAConfiguredQuarterlyBudgetThenEachThresholdAlertsOnce()
    {
        var options = new ScalingStageOptions { PredictiveEnabled = false, AlertsEnabled = false, PricePerInstanceHour = 0.5 };
        options.Cost.Budgets.Add(new MetricsPipeline.Decisions.Cost.Budget("fleet", MetricsPipeline.Decisions.Cost.BudgetPeriod.Quarterly, 2.0));
        var (stage, messages) = Scaling(options);
        // 0.4 per day (2 instances, 24 windows of a minute at 0.5 per hour): 2.0 is spent after five days.
        for (int day = 0; day < 7; day++)
        {
            for (int m = 0; m < 1440; m += 60)
            {
                stage.OnWindows(Minute((day * 1440) + m, "api", 2, 100, 50));
            }
        }

        var actual = messages.Where(x => x.Topic == "cost-alerts").Select(x => x.Json.RootElement)
            .Where(a => a.GetProperty("type").GetString() == "budget_actual").ToList();
        Assert.Equal([50.0, 75.0, 90.0, 100.0], actual.Select(a => a.GetProperty("threshold_percent").GetDouble()).Order());
        Assert.All(actual, a => Assert.Equal("quarterly", a.GetProperty("period").GetString()));
        Assert.All(actual, a => Assert.Equal("total", a.GetProperty("scope").GetString()));
        Assert.Equal("emergency", actual.Single(a => a.GetProperty("threshold_percent").GetDouble() == 100).GetProperty("severity").GetString());
    }

    private sealed class NullPublisher : MetricsPipeline.Host.Anomaly.IAlertPublisher
    {
        public void Publish(string key, byte[] value)
        {
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
