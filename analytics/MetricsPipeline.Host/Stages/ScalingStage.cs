using System.Text.Json;
using MetricsPipeline.Analytics.Pipeline;
using MetricsPipeline.Analytics.Windows;
using MetricsPipeline.Decisions.Alerts;
using MetricsPipeline.Decisions.Commands;
using MetricsPipeline.Decisions.Cost;
using MetricsPipeline.Decisions.Scaling;
using MetricsPipeline.Host.Hosting;
using MetricsPipeline.Ingest.Model;
using MetricsPipeline.Kafka;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace MetricsPipeline.Host.Stages;

/// <summary>
/// The decision stage: from the closed 1-minute windows of the fleet's <c>service</c> and <c>http_request</c>
/// measurements it builds one <see cref="ServiceSnapshot"/> per service per window (on event time: the window end),
/// runs the threshold alerts and the reactive scaling policy (emergency scale-out included) on it, publishes commands
/// to <c>scaling-commands</c> and alerts to <c>alerts</c> (keyed by service; acks=all, idempotent producer), and
/// returns <c>scaling</c>, <c>alert</c> and <c>cost</c> points to be written with the windows. A service's windows
/// from different partitions are held until the batch's closed-through time passes their end, so a snapshot always
/// sees every instance, and is evaluated in the batch that closes it: a sustained breach yields its command within
/// one evaluation interval. Called on the pipeline thread only.
/// </summary>
internal sealed partial class ScalingStage : IWindowStage, IAsyncDisposable
{
    private readonly ScalingStageOptions _options;
    private readonly IScalingPolicy _policy;
    private readonly ThresholdAlertEvaluator? _alerts;
    private readonly Action<string, string, byte[]> _publish;
    private readonly Func<ValueTask> _dispose;
    private readonly string _commandTopic;
    private readonly string _alertTopic;
    private readonly string _windowTag;
    private readonly int _p95;
    private readonly int _p99;
    private readonly SortedDictionary<(long EndNs, string Service), ScalingServiceWindow> _pending = [];
    private long _commands;
    private long _alertCount;

    private ScalingStage(ScalingStageOptions options, PipelineSettings settings, Action<string, string, byte[]> publish, Func<ValueTask> dispose)
    {
        _options = options;
        options.Policy.PricePerInstanceHour = options.PricePerInstanceHour;
        _policy = new ReactiveScalingPolicy(options.Policy);
        _alerts = options.AlertsEnabled ? new ThresholdAlertEvaluator() : null;
        _publish = publish;
        _dispose = dispose;
        _commandTopic = settings.Kafka.Topics.ScalingCommands;
        _alertTopic = settings.Kafka.Topics.Alerts;
        _windowTag = WindowOptions.FormatSize(options.WindowSize);
        _p95 = settings.Windows.Quantiles.IndexOf(0.95);
        _p99 = settings.Windows.Quantiles.IndexOf(0.99);
    }

    /// <inheritdoc />
    public string Name => "scaling";

    /// <summary>Commands published so far.</summary>
    public long CommandsPublished => Interlocked.Read(ref _commands);

    /// <summary>Alert events published so far.</summary>
    public long AlertsPublished => Interlocked.Read(ref _alertCount);

    /// <summary>
    /// Creates the stage from <c>Analytics:Scaling</c> (and <c>Analytics:Alerts:Enabled</c>,
    /// <c>Analytics:Cost:PricePerInstanceHour</c>) with its own Kafka producer; null when disabled or when the window
    /// sizes do not include the stage's window.
    /// </summary>
    public static ScalingStage? Create(WindowStageContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var options = new ScalingStageOptions();
        context.Configuration?.GetSection("Analytics:Scaling").Bind(options);
        if (context.Configuration is { } configuration)
        {
            options.AlertsEnabled = configuration.GetValue("Analytics:Alerts:Enabled", options.AlertsEnabled);
            options.PricePerInstanceHour = configuration.GetValue("Analytics:Cost:PricePerInstanceHour", options.PricePerInstanceHour);
        }

        var logger = context.LoggerFactory.CreateLogger<ScalingStage>();
        if (!options.Enabled)
        {
            return null;
        }

        if (!context.Settings.Windows.Sizes.Contains(options.WindowSize))
        {
            logger.LogWarning("The scaling stage is off: its window size {Size} is not among Analytics:Windows:Sizes", options.WindowSize);
            return null;
        }

        options.Policy.Validate();
        var producer = new KafkaMessageProducer(
            new KafkaProducerOptions { BootstrapServers = context.BootstrapServers },
            context.LoggerFactory.CreateLogger<KafkaMessageProducer>());
        return new ScalingStage(options, context.Settings, producer.Produce, producer.DisposeAsync);
    }

    /// <inheritdoc />
    public IReadOnlyList<MetricPoint> OnWindows(AggregateBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        foreach (var window in batch.Windows)
        {
            if (window.Size != _options.WindowSize || window.Measurement is not ("service" or "http_request") || Service(window) is not { } service)
            {
                continue;
            }

            long endNs = window.StartNs + (long)(window.Size.Ticks * 100);
            if (!_pending.TryGetValue((endNs, service), out var group))
            {
                group = new ScalingServiceWindow();
                _pending.Add((endNs, service), group);
            }

            group.Add(window, _p95, _p99);
        }

        List<MetricPoint>? points = null;
        while (_pending.Count > 0)
        {
            var (key, group) = _pending.First();
            if (key.EndNs > batch.ClosedThroughNs)
            {
                break;
            }

            _pending.Remove(key);
            var end = DateTimeOffset.UnixEpoch.AddTicks(key.EndNs / 100);
            if (group.Build(key.Service, end) is { } snapshot)
            {
                Decide(snapshot, points ??= []);
            }
        }

        return points ?? (IReadOnlyList<MetricPoint>)[];
    }

    /// <summary>Flushes the producer after the last batch. Never throws.</summary>
    public ValueTask DisposeAsync() => _dispose();

    private void Decide(ServiceSnapshot snapshot, List<MetricPoint> points)
    {
        if (_policy.Evaluate(snapshot) is { } command)
        {
            _publish(_commandTopic, command.Service, ScalingCommandJson.ToUtf8(command));
            Interlocked.Increment(ref _commands);
            points.Add(ScalingPoints.ToPoint(command));
        }

        if (_alerts is not null)
        {
            foreach (var alert in _alerts.Evaluate(snapshot))
            {
                _publish(_alertTopic, alert.Service, JsonSerializer.SerializeToUtf8Bytes(alert, DecisionJson.Options));
                Interlocked.Increment(ref _alertCount);
                points.Add(AlertPoints.ToPoint(alert));
            }
        }

        points.Add(CostPoints.ToPoint(snapshot.Service, _windowTag, snapshot.Timestamp, snapshot.Instances, _options.PricePerInstanceHour, _options.WindowSize));
    }

    private static string? Service(WindowResult window)
    {
        foreach (var tag in window.Tags)
        {
            if (tag.Key == "service")
            {
                return tag.Value;
            }
        }

        return null;
    }
}
