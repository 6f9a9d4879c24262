using System.Text.Json;
using MetricsPipeline.Analytics.Pipeline;
using MetricsPipeline.Analytics.Windows;
using MetricsPipeline.Decisions.Schemas;
using MetricsPipeline.Host.Anomaly;
using MetricsPipeline.Host.Hosting;
using MetricsPipeline.Host.Stages;
using Xunit;

namespace MetricsPipeline.Host.Tests;

/// <summary>
/// The two producers of the <c>alerts</c> topic, the scaling stage's threshold alerts and the anomaly stage's anomaly
/// alerts, wired as in the pipeline on fabricated closed windows (no broker): one schema, one spelling.
/// </summary>
public sealed class AlertEnvelopeWireTests
{
    private const long MinuteNs = 60_000_000_000;
    private const long T0 = 1_772_323_200L * 1_000_000_000;
    private static readonly PipelineSettings Settings = new();

    private sealed record Message(string Key, string Text, JsonDocument Json);

    private sealed class SharedTopic : IAlertPublisher
    {
        public List<Message> Messages { get; } = [];

        public void Publish(string key, byte[] value) => Add(key, value);

        public void Add(string key, byte[] value) => Messages.Add(new Message(key, System.Text.Encoding.UTF8.GetString(value), JsonDocument.Parse(value)));

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    private static WindowFieldStats Stat(string field, double v) => new(field, 6, 6 * v, v, v, [v, v, v, v]);

    /// <summary>
    /// Three instances of <c>api</c>; CPU at 92 % in minutes [150, 160) (a threshold alert) and the request rate tripled
    /// in minutes [200, 205) (an anomaly alert and the emergency path).
    /// </summary>
    private static List<Message> RunBothProducers()
    {
        var topic = new SharedTopic();
        var anomaly = new AnomalyStage(new AnomalyStageOptions(), Settings.Windows.Quantiles, topic);
        var scaling = new ScalingStage(
            new ScalingStageOptions { PredictiveEnabled = false, Cost = { Enabled = false } },
            Settings,
            (name, key, value) =>
            {
                if (name == Settings.Kafka.Topics.Alerts)
                {
                    topic.Add(key, value);
                }
            });
        var stages = StageLinks.Connect([scaling, anomaly]);
        var random = new Random(11);
        for (int m = 0; m < 240; m++)
        {
            double rate = (m is >= 200 and < 205 ? 3 : 1) * (100 + (10 * Math.Sin(m / 30.0)) + random.NextDouble());
            double cpu = m is >= 150 and < 160 ? 92 : 40 + random.NextDouble();
            var windows = Enumerable.Range(0, 3).Select(i => new WindowResult(
                i,
                "service",
                [new("instance", $"api-{i}"), new("service", "api")],
                TimeSpan.FromMinutes(1),
                T0 + (m * MinuteNs),
                [Stat("request_rate", rate), Stat("cpu_percent", cpu), Stat("memory_percent", 45), Stat("instances", 3)])).ToList();
            var batch = new AggregateBatch(windows, [], T0 + ((m + 1) * MinuteNs));
            foreach (var stage in stages)
            {
                stage.OnWindows(batch);
            }
        }

        return topic.Messages;
    }

    private static string Kind(Message m) => m.Json.RootElement.GetProperty("kind").GetString()!;

    [Fact]
    public void WhenBothProducersPublishThenEveryMessageValidatesAgainstTheOneSchema()
    {
        var schema = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "schemas", "alert.v1.schema.json"))).RootElement;
        var messages = RunBothProducers();

        Assert.Contains(messages, m => Kind(m) == "threshold" && m.Json.RootElement.GetProperty("status").GetString() == "firing");
        Assert.Contains(messages, m => Kind(m) == "threshold" && m.Json.RootElement.GetProperty("status").GetString() == "resolved");
        Assert.Contains(messages, m => Kind(m) == "anomaly" && m.Json.RootElement.GetProperty("severity").GetString() == "emergency");
        Assert.Contains(messages, m => Kind(m) == "anomaly" && m.Json.RootElement.GetProperty("status").GetString() == "resolved");
        Assert.All(messages, m => Assert.True(JsonSchemaSubsetValidator.Validate(schema, m.Json.RootElement).Count == 0, m.Text));
        Assert.All(messages, m => Assert.Equal("api", m.Key));
    }

    [Fact]
    public void WhenBothProducersPublishThenTheirEnvelopesHaveTheSamePropertiesInTheSameOrderAndSpelling()
    {
        var schema = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "schemas", "alert.v1.schema.json"))).RootElement;
        var order = schema.GetProperty("properties").EnumerateObject().Select(p => p.Name).ToList();
        var messages = RunBothProducers();
        var threshold = messages.Where(m => Kind(m) == "threshold").ToList();
        var anomalies = messages.Where(m => Kind(m) == "anomaly").ToList();
        Assert.NotEmpty(threshold);
        Assert.NotEmpty(anomalies);

        // Every message, of either kind: the schema's properties, in the schema's order.
        Assert.All(messages, m => Assert.Equal(order, m.Json.RootElement.EnumerateObject().Select(p => p.Name)));

        // The same JSON type per property, and the same spelling of times (UTC, seven fraction digits, Z).
        static IEnumerable<(string, JsonValueKind)> Shape(Message m) => m.Json.RootElement.EnumerateObject().Select(p => (p.Name, p.Value.ValueKind));
        Assert.Equal(Shape(threshold[0]), Shape(anomalies[0]));
        Assert.All(messages, m =>
        {
            Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z$", m.Json.RootElement.GetProperty("starts_at").GetString()!);
            Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z$", m.Json.RootElement.GetProperty("timestamp").GetString()!);
        });
    }
}
