using System.Text.Json;
using MetricsPipeline.Analytics.Pipeline;
using MetricsPipeline.Analytics.Windows;
using MetricsPipeline.Decisions.Alerts;
using MetricsPipeline.Decisions.Commands;
using MetricsPipeline.Decisions.Cost;
using MetricsPipeline.Decisions.Scaling;
using MetricsPipeline.Forecasting.Streaming;
using MetricsPipeline.Anomaly.Streaming;
using MetricsPipeline.Host.Forecasting;
using MetricsPipeline.Host.Hosting;
using MetricsPipeline.Ingest.Model;
using MetricsPipeline.Kafka;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace MetricsPipeline.Host.Stages;

/// <summary>
/// The decision stage: from the closed 1-minute windows of the fleet's <c>service</c> and <c>http_request</c>
/// measurements it builds one <see cref="ServiceSnapshot"/> per service per window (on event time: the window end),
/// runs the threshold alerts and the reactive scaling policy (emergency scale-out included; with the configured
/// growth phases and scheduled minimums before it, <see cref="ScalingStageOptions.Phases"/> and
/// <see cref="ScalingStageOptions.Schedules"/>) on it, publishes commands
/// to <c>scaling-commands</c> and alerts to <c>alerts</c> (keyed by service; acks=all, idempotent producer), and
/// returns <c>scaling</c>, <c>alert</c> and <c>cost</c> points to be written with the windows. Next to the reactive
/// policy runs predictive scaling on the forecast stage's request-rate forecasts (<see cref="StreamPredictivePolicy"/>;
/// the larger scale-out wins), a traffic spike signalled by the anomaly stage marks the service's snapshot of that window for
/// emergency scale-out, and <see cref="StreamCostEngine"/> turns the instance counts into spend, budgets,
/// projections and <c>cost-alert/v1</c> messages on <c>cost-alerts</c> (<see cref="StageLinks"/> connects the
/// stages and runs this one after them). A service's windows
/// from different partitions are held until the batch's closed-through time passes their end, so a snapshot always
/// sees every instance, and is evaluated in the batch that closes it: a sustained breach yields its command within
/// one evaluation interval. Each evaluation tick (window end) also sweeps the services with threshold-alert state that
/// sent nothing for it, so the alerts of a service gone silent resolve for lack of data (after the rule's
/// <c>NoDataResolveAfter</c>) instead of staying open, and drops the idle alert state of a service silent for
/// <see cref="ScalingStageOptions.AlertStateRetention"/>. Called on the pipeline thread only.
/// </summary>
public sealed partial class ScalingStage : IWindowStage, IEmergencySignalListener, IAsyncDisposable
{
    private readonly ScalingStageOptions _options;
    private readonly IScalingPolicy _policy;
    private readonly ReactiveScalingPolicy _reactive;
    private readonly GrowthPhasePolicy? _phases;
    private readonly ThresholdAlertEvaluator? _alerts;
    private readonly Action<string, string, byte[]> _publish;
    private readonly Func<ValueTask> _dispose;
    private readonly string _commandTopic;
    private readonly string _alertTopic;
    private readonly string _windowTag;
    private readonly int _p95;
    private readonly int _p99;
    private readonly SortedDictionary<(long EndNs, string Service), ScalingServiceWindow> _pending = [];
    private readonly string _costTopic;
    private readonly ForecastHistory _forecasts = new();
    private readonly Dictionary<string, List<TrafficSpikeSignal>> _spikes = new(StringComparer.Ordinal);
    private readonly StreamPredictivePolicy? _predictive;
    private readonly StreamCostEngine? _cost;
    private readonly Dictionary<string, ScalingCommand> _lastPublished = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _firstSeen = new(StringComparer.Ordinal);
    private IDisposable? _forecastLink;
    private long? _lastTickNs;
    private double _forecastConfidence = 0.95;
    private long _commands;
    private long _alertCount;
    private long _costAlertCount;

    private ScalingStage(ScalingStageOptions options, PipelineSettings settings, Action<string, string, byte[]> publish, Func<ValueTask> dispose)
    {
        _options = options;
        options.Policy.PricePerInstanceHour = options.PricePerInstanceHour;
        // Phases and schedules come first: they bound the others (IScalingBounds), and the larger scale-out wins anyway.
        // The phase policy sees each snapshot before the reactive one, which scales to the active phase's CPU target.
        var policies = new List<IScalingPolicy>();
        if (options.Phases.Count > 0)
        {
            policies.Add(_phases = new GrowthPhasePolicy(options.Phases.Select(p => p.ToPhase()), options.PricePerInstanceHour, options.WindowSize));
        }

        var reactive = new ReactiveScalingPolicy(options.Policy, _phases);
        _reactive = reactive;

        if (options.Schedules.Count > 0)
        {
            policies.Add(new ScheduledScalingPolicy(options.Schedules.Select(s => s.ToRule()), options.PricePerInstanceHour, options.WindowSize));
        }

        policies.Add(reactive);
        if (options.PredictiveEnabled)
        {
            var staleAfter = 5 * options.WindowSize;
            _predictive = new StreamPredictivePolicy(options, service => new StreamLoadForecaster(_forecasts, service, "request_rate", _forecastConfidence, staleAfter));
            policies.Add(_predictive);
        }

        _policy = policies.Count == 1 ? reactive : new CompositeScalingPolicy([.. policies]);

        _cost = options.Cost.Enabled ? new StreamCostEngine(options.Cost, options.PricePerInstanceHour, options.WindowSize) : null;
        _costTopic = settings.Kafka.Topics.CostAlerts;
        ValidateAlertStateRetention(options);
        _alerts = options.AlertsEnabled ? new ThresholdAlertEvaluator(AlertRuleOptions.Build(options.AlertRules), options.AlertStateRetention, options.WindowSize) : null;
        _publish = publish;
        _dispose = dispose;
        _commandTopic = settings.Kafka.Topics.ScalingCommands;
        _alertTopic = settings.Kafka.Topics.Alerts;
        _windowTag = WindowOptions.FormatSize(options.WindowSize);
        _p95 = settings.Windows.Quantiles.IndexOf(0.95);
        _p99 = settings.Windows.Quantiles.IndexOf(0.99);
    }

    /// <summary>
    /// Creates the stage with a publisher of its own (tests, embedding): <paramref name="publish"/> receives the topic,
    /// the key and the message of every command and alert.
    /// </summary>
    /// <param name="options">The settings.</param>
    /// <param name="settings">The pipeline settings (topics, window quantiles).</param>
    /// <param name="publish">Publishes one message; must not block.</param>
    /// <exception cref="ArgumentException">A setting is invalid.</exception>
    public ScalingStage(ScalingStageOptions options, PipelineSettings settings, Action<string, string, byte[]> publish)
        : this(options ?? throw new ArgumentNullException(nameof(options)), settings ?? throw new ArgumentNullException(nameof(settings)), publish ?? throw new ArgumentNullException(nameof(publish)), () => ValueTask.CompletedTask)
    {
    }

    /// <inheritdoc />
    public string Name => "scaling";

    /// <summary>Commands published so far.</summary>
    public long CommandsPublished => Interlocked.Read(ref _commands);

    /// <summary>Alert events published so far.</summary>
    public long AlertsPublished => Interlocked.Read(ref _alertCount);

    /// <summary>
    /// The (service, rule) threshold-alert states held (0 when alerts are off): a silent service's idle states are dropped
    /// after <see cref="ScalingStageOptions.AlertStateRetention"/>.
    /// </summary>
    public int AlertStatesTracked => _alerts?.TrackedStates ?? 0;

    /// <summary>Cost alerts published so far.</summary>
    public long CostAlertsPublished => Interlocked.Read(ref _costAlertCount);

    /// <summary>The predictive policy's capacity per instance of <paramref name="service"/> (NaN while unknown or when predictive scaling is off).</summary>
    public double CapacityOf(string service) => _predictive?.CapacityOf(service) ?? double.NaN;

    /// <summary>
    /// The latest <c>request_rate</c> forecast the forecast stage delivered for <paramref name="service"/>: the stream's
    /// SSA forecast, one of the forecasts the predictive policy weighs.
    /// </summary>
    /// <param name="service">The service.</param>
    /// <param name="forecast">The forecast, when there is one.</param>
    /// <returns>Whether a forecast has arrived.</returns>
    public bool TryGetLoadForecast(string service, out ServiceForecast forecast) => _forecasts.Latest.TryGet(service, "request_rate", out forecast);

    /// <summary>Takes the forecast stage's forecasts for predictive scaling (called once, when the stages are connected).</summary>
    public void ListenTo(ForecastStage forecasts)
    {
        ArgumentNullException.ThrowIfNull(forecasts);
        _forecastConfidence = forecasts.Engine.Options.ConfidenceLevel;
        _forecastLink?.Dispose();
        _forecastLink = forecasts.Subscribe(_forecasts);
    }

    /// <summary>
    /// A traffic spike from the anomaly stage: the service's first snapshot ending after the spike's window started (the
    /// window that showed it, since this stage runs after the anomaly stage) carries
    /// <see cref="ServiceSnapshot.RequestRateAnomaly"/>, the emergency path.
    /// </summary>
    public void OnTrafficSpike(TrafficSpikeSignal signal)
    {
        ArgumentNullException.ThrowIfNull(signal);
        if (!_spikes.TryGetValue(signal.Service, out var pending))
        {
            _spikes[signal.Service] = pending = [];
        }

        pending.Add(signal);
    }

    /// <summary>
    /// Creates the stage from <c>Analytics:Scaling</c> (and <c>Analytics:Alerts:Enabled</c>, <c>Analytics:Alerts:Rules</c>,
    /// <c>Analytics:Cost:PricePerInstanceHour</c>) with its own Kafka producer; null when disabled or when the window
    /// sizes do not include the stage's window.
    /// </summary>
    public static ScalingStage? Create(WindowStageContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var options = ScalingStageOptions.From(context.Configuration);
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
        options.Cost.Validate();
        // Fail on a bad schedule or phase before the producer exists (the constructor builds them again).
        _ = options.Schedules.Select(s => s.ToRule()).ToList();
        _ = options.Phases.Select(p => p.ToPhase()).ToList();
        _ = AlertRuleOptions.Build(options.AlertRules);
        ValidateAlertStateRetention(options);
        // Kafka:Producer:* (security.protocol, sasl.*, …) as for the other producers: without them a secured broker
        // would take the metrics and the anomaly alerts but not the commands and cost alerts.
        var producerOptions = new KafkaProducerOptions { BootstrapServers = context.BootstrapServers };
        foreach (var (key, value) in context.Settings.Kafka.Producer)
        {
            producerOptions.Settings[key] = value;
        }

        var producer = new KafkaMessageProducer(producerOptions, context.LoggerFactory.CreateLogger<KafkaMessageProducer>());
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
        long sizeNs = _options.WindowSize.Ticks * 100;
        // The shutdown drain closes everything (the end of time): its ticks stop at the last window it evaluates.
        long through = batch.ClosedThroughNs != long.MaxValue ? batch.ClosedThroughNs
            : _pending.Count > 0 ? Math.Max(_pending.Keys.Max(k => k.EndNs), _lastTickNs ?? long.MinValue)
            : _lastTickNs ?? long.MinValue;
        while (NextTick(sizeNs, through) is { } tick)
        {
            while (_pending.Count > 0 && _pending.First().Key.EndNs <= tick)
            {
                var (key, group) = _pending.First();
                _pending.Remove(key);
                var end = DateTimeOffset.UnixEpoch.AddTicks(key.EndNs / 100);
                if (group.Build(key.Service, end) is { } snapshot)
                {
                    Decide(snapshot, points ??= []);
                }
            }

            // A late window (ending before the last tick) is evaluated, but time does not go back for the sweep.
            if (_lastTickNs is not { } previous || tick > previous)
            {
                Sweep(tick, ref points);
                _lastTickNs = tick;
            }
        }

        return points ?? (IReadOnlyList<MetricPoint>)[];
    }

    /// <summary>
    /// The next evaluation tick (a window end, one window after the last) at or before <paramref name="through"/>, or
    /// null. Ticks where nothing can happen are skipped: no window ends there, no open alert could resolve for lack
    /// of data and no silent service's idle alert state is due to be dropped (that sweep runs at the first tick at or
    /// after it is due), so a long quiet stretch of event time costs nothing.
    /// </summary>
    private long? NextTick(long sizeNs, long through)
    {
        long? firstPending = _pending.Count > 0 ? _pending.First().Key.EndNs : null;
        if (_lastTickNs is not { } last)
        {
            return firstPending <= through ? firstPending : null;
        }

        long next = last + sizeNs;
        if (next > through || next < last)
        {
            // A window end off the grid (not a multiple of the size after the first) is still evaluated when closed.
            return firstPending <= through ? firstPending : null;
        }

        if (_alerts is { CanResolveForLackOfData: true } || firstPending <= next)
        {
            return next;
        }

        // Jump on the same grid to the tick at (or just before) the next pending window's end, or to the last one through,
        // stopping at the first tick at or after the next idle-state drop.
        long target = Math.Min(firstPending ?? through, through);
        if (_alerts?.NextIdleStateDrop is { } drop && (drop - DateTimeOffset.UnixEpoch).Ticks is var dropTicks && dropTicks < long.MaxValue / 100)
        {
            long dropNs = dropTicks * 100;
            if (dropNs <= next)
            {
                return next;
            }

            long dropTick = last + ((dropNs - last + sizeNs - 1) / sizeNs * sizeNs);
            target = Math.Min(target, dropTick);
        }

        return target < next ? null : last + ((target - last) / sizeNs * sizeNs);
    }

    /// <summary>
    /// The evaluation tick: alerts of services that sent no snapshot at <paramref name="tickNs"/> (gone silent) resolve
    /// for lack of data like those whose metric went missing; see <see cref="ThresholdAlertEvaluator.Sweep"/>.
    /// </summary>
    private void Sweep(long tickNs, ref List<MetricPoint>? points)
    {
        if (_alerts is null)
        {
            return;
        }

        foreach (var alert in _alerts.Sweep(DateTimeOffset.UnixEpoch.AddTicks(tickNs / 100)))
        {
            _publish(_alertTopic, alert.Service, JsonSerializer.SerializeToUtf8Bytes(alert, DecisionJson.Options));
            Interlocked.Increment(ref _alertCount);
            (points ??= []).Add(AlertPoints.ToPoint(alert));
        }
    }

    private static void ValidateAlertStateRetention(ScalingStageOptions options)
    {
        if (options.AlertStateRetention <= TimeSpan.Zero)
        {
            throw new ArgumentException($"Analytics:Alerts:StateRetention must be positive (got {options.AlertStateRetention}).", nameof(options));
        }
    }

    /// <summary>Flushes the producer after the last batch. Never throws.</summary>
    public ValueTask DisposeAsync()
    {
        _forecastLink?.Dispose();
        return _dispose();
    }

    private void Decide(ServiceSnapshot snapshot, List<MetricPoint> points)
    {
        if (!_firstSeen.TryGetValue(snapshot.Service, out var firstSeen))
        {
            _firstSeen.Add(snapshot.Service, firstSeen = snapshot.Timestamp);
        }

        // A spike signalled more than two windows before this one belongs to an episode this stage already passed, and
        // one in the service's first minutes compares against a baseline that does not exist yet (warm-up).
        // A snapshot takes only the spikes of windows that started before it ended: when one batch closes several
        // minutes (a backfill, a catch-up after a takeover), a later minute's spike must not mark an earlier snapshot,
        // or the command would depend on how the stream was cut into batches.
        if (_spikes.TryGetValue(snapshot.Service, out var spikes))
        {
            var anomalous = false;
            for (var i = spikes.Count - 1; i >= 0; i--)
            {
                if (spikes[i].Timestamp < snapshot.Timestamp)
                {
                    anomalous |= spikes[i].Timestamp >= snapshot.Timestamp - (3 * _options.WindowSize);
                    spikes.RemoveAt(i);
                }
            }

            if (spikes.Count == 0)
            {
                _spikes.Remove(snapshot.Service);
            }

            if (anomalous && snapshot.Timestamp - firstSeen >= _options.Policy.MinBaselineHistory)
            {
                snapshot = snapshot with { RequestRateAnomaly = true };
            }
        }

        if (_policy.Evaluate(snapshot) is { } command && !IsRepeat(command))
        {
            _lastPublished[command.Service] = command;
            _publish(_commandTopic, command.Service, ScalingCommandJson.ToUtf8(command));
            Interlocked.Increment(ref _commands);
            var point = ScalingPoints.ToPoint(command);
            // The reason is in the command JSON too; as a field of its own it can annotate a dashboard.
            points.Add(point with { Fields = [.. point.Fields, new("reason", FieldValue.FromString(command.Reason))] });
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
        if (_cost is not null)
        {
            var costAlerts = new List<CostAlert>();
            _cost.Observe(snapshot, points, costAlerts);
            foreach (var alert in costAlerts)
            {
                _publish(_costTopic, alert.Scope, JsonSerializer.SerializeToUtf8Bytes(alert, DecisionJson.Options));
                Interlocked.Increment(ref _costAlertCount);
                points.Add(CostAlertPoints.ToPoint(alert));
            }
        }
    }

    /// <summary>
    /// Whether <paramref name="command"/> repeats the last published one (same action, current and target count)
    /// within <see cref="ScalingStageOptions.RepeatInterval"/>: the fleet has not acted on it yet (or cannot, e.g. while
    /// history is replayed), and saying it again every window would only flood the topic. Advice (forecast-only mode)
    /// and an acting command are never repeats of each other: consumers apply only the latter.
    /// </summary>
    private bool IsRepeat(ScalingCommand command) =>
        _lastPublished.TryGetValue(command.Service, out var last)
        && last.Action == command.Action
        && last.Advisory == command.Advisory
        && last.CurrentInstances == command.CurrentInstances
        && last.TargetInstances == command.TargetInstances
        && command.IssuedAt < last.IssuedAt + _options.RepeatInterval;

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
