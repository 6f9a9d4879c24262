using System.Reactive.Subjects;
using MetricsPipeline.Analytics.Pipeline;
using MetricsPipeline.Analytics.Windows;
using MetricsPipeline.Anomaly;
using MetricsPipeline.Anomaly.Auto;
using MetricsPipeline.Anomaly.Sequential;
using MetricsPipeline.Anomaly.SrCnn;
using MetricsPipeline.Anomaly.Streaming;
using MetricsPipeline.Decisions.Alerts;
using MetricsPipeline.Host.Anomaly;
using MetricsPipeline.Host.Hosting;
using MetricsPipeline.Ingest.Model;
using MetricsPipeline.Kafka;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace MetricsPipeline.Host.Stages;

/// <summary>
/// Streaming anomaly detection on closed windows: one online detector per configured series (a statistic of one field,
/// combined over the windows of a group such as a service's instances), <c>anomaly</c> points for anomalous windows and
/// alert transitions, <c>alert/v1</c> messages with an open → resolved lifecycle, and traffic-spike signals for the
/// scaling stage. Runs on the pipeline's thread (never concurrently), as <see cref="IWindowStage"/> requires.
/// </summary>
public sealed partial class AnomalyStage : IWindowStage, IAsyncDisposable
{
    /// <summary>The measurement of the points this stage writes.</summary>
    public const string Measurement = "anomaly";

    private const int BaselineMinimum = 10;

    private readonly AnomalyStageOptions _options;
    private readonly AnomalySeriesDefinition[] _definitions;
    private readonly IAlertPublisher _publisher;
    private readonly ILogger _logger;
    private readonly long _windowTicks;
    private readonly Dictionary<(int Definition, string Group), AnomalySeriesState> _series = [];
    private readonly Dictionary<(int Definition, string Group, long StartNs), (double Sum, int Count, double Max)> _pending = [];
    private readonly List<(int Definition, string Group, long StartNs)> _order = [];
    private readonly List<IEmergencySignalListener> _listeners = [];
    private readonly Subject<TrafficSpikeSignal> _spikes = new();
    private long _alerts;
    private long _lateWindows;
    private long _scored;

    /// <summary>Creates the stage.</summary>
    /// <param name="options">The settings (validated here).</param>
    /// <param name="windowQuantiles">The quantiles the windows compute, in order (for <c>pNN</c> statistics).</param>
    /// <param name="publisher">Where alerts go; owned and disposed with the stage.</param>
    /// <param name="logger">Logging, or null.</param>
    /// <exception cref="ArgumentException">A setting is invalid.</exception>
    public AnomalyStage(AnomalyStageOptions options, IList<double> windowQuantiles, IAlertPublisher publisher, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(windowQuantiles);
        options.Validate();
        _options = options;
        var series = options.Series is { Count: > 0 } configured ? configured : AnomalyStageOptions.DefaultSeries();
        _definitions = series.Select(s => AnomalySeriesDefinition.Resolve(s, windowQuantiles)).ToArray();
        _publisher = publisher ?? throw new ArgumentNullException(nameof(publisher));
        _logger = logger ?? NullLogger.Instance;
        _windowTicks = options.WindowSize.Ticks;
        _ = CreateDetector(options.Detector);
    }

    /// <inheritdoc />
    public string Name => "anomaly";

    /// <summary>Traffic spikes as they are detected (hot; on the pipeline's thread).</summary>
    public IObservable<TrafficSpikeSignal> TrafficSpikes => _spikes;

    /// <summary>Monitored series so far.</summary>
    public int SeriesCount => _series.Count;

    /// <summary>Alert messages published so far.</summary>
    public long AlertsPublished => Interlocked.Read(ref _alerts);

    /// <summary>Windows scored so far (one per series and window start).</summary>
    public long WindowsScored => Interlocked.Read(ref _scored);

    /// <summary>Group windows skipped because a later window of the series was already scored.</summary>
    public long LateWindows => Interlocked.Read(ref _lateWindows);

    /// <summary>Creates the stage from <c>Analytics:Anomaly</c>, or null when it is disabled.</summary>
    /// <exception cref="ArgumentException">A setting is invalid.</exception>
    public static AnomalyStage? Create(WindowStageContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var options = new AnomalyStageOptions();
        context.Configuration?.GetSection(AnomalyStageOptions.Section).Bind(options);
        if (!options.Enabled)
        {
            return null;
        }

        var producerOptions = new KafkaProducerOptions { BootstrapServers = context.BootstrapServers };
        foreach (var (key, value) in context.Settings.Kafka.Producer)
        {
            producerOptions.Settings[key] = value;
        }

        var producer = new KafkaMessageProducer(producerOptions, context.LoggerFactory.CreateLogger<KafkaMessageProducer>());
        var publisher = new KafkaAlertPublisher(producer, options.AlertTopic ?? context.Settings.Kafka.Topics.Alerts);
        return new AnomalyStage(options, context.Settings.Windows.Quantiles, publisher, context.LoggerFactory.CreateLogger<AnomalyStage>());
    }

    /// <summary>Adds a listener of emergency signals (the scaling stage).</summary>
    public void AddListener(IEmergencySignalListener listener)
    {
        ArgumentNullException.ThrowIfNull(listener);
        _listeners.Add(listener);
    }

    /// <inheritdoc />
    public IReadOnlyList<MetricPoint> OnWindows(AggregateBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        Accumulate(batch.Windows);
        if (_order.Count == 0)
        {
            return [];
        }

        // Score in event-time order so each detector sees its series in order even when a batch spans several starts.
        _order.Sort((a, b) => a.StartNs != b.StartNs ? a.StartNs.CompareTo(b.StartNs) : a.Definition != b.Definition ? a.Definition.CompareTo(b.Definition) : string.CompareOrdinal(a.Group, b.Group));
        var points = new List<MetricPoint>();
        foreach (var key in _order)
        {
            var (sum, count, max) = _pending[key];
            var definition = _definitions[key.Definition];
            var value = definition.Options.Combine switch
            {
                "sum" => sum,
                "max" => max,
                _ => sum / count,
            };
            Score(key.Definition, key.Group, key.StartNs, value, points);
        }

        _pending.Clear();
        _order.Clear();
        return points;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        _spikes.OnCompleted();
        try
        {
            await _publisher.DisposeAsync();
        }
        catch (Exception ex)
        {
            _logger.LogWarning(ex, "Closing the alert publisher failed");
        }
    }

    private static IAnomalyDetector CreateDetector(string name) => name switch
    {
        "iid-spike" => new IidSpikeDetector(new IidSpikeDetectorOptions()),
        "iid-changepoint" => new IidChangePointDetector(new IidChangePointDetectorOptions()),
        "srcnn" => new SrCnnDetector(new SrCnnDetectorOptions()),
        _ => new AutoDetector(new AutoDetectorOptions()),
    };

    private void Accumulate(IReadOnlyList<WindowResult> windows)
    {
        for (var w = 0; w < windows.Count; w++)
        {
            var window = windows[w];
            if (window.Size.Ticks != _windowTicks)
            {
                continue;
            }

            for (var d = 0; d < _definitions.Length; d++)
            {
                var definition = _definitions[d];
                if (window.Measurement != definition.Options.Measurement)
                {
                    continue;
                }

                var value = definition.Extract(window);
                if (double.IsNaN(value) || definition.Group(window) is not { } group)
                {
                    continue;
                }

                var key = (d, group, window.StartNs);
                if (_pending.TryGetValue(key, out var acc))
                {
                    _pending[key] = (acc.Sum + value, acc.Count + 1, Math.Max(acc.Max, value));
                }
                else
                {
                    _pending[key] = (value, 1, value);
                    _order.Add(key);
                }
            }
        }
    }

    private void Score(int definitionIndex, string group, long startNs, double value, List<MetricPoint> points)
    {
        var definition = _definitions[definitionIndex];
        if (!_series.TryGetValue((definitionIndex, group), out var state))
        {
            state = new AnomalySeriesState(
                definition,
                group,
                CreateDetector(_options.Detector),
                new RobustBaseline(_options.BaselineWindows, _options.BoundWidth, BaselineMinimum),
                new AlertLifecycle(_options.RenotifyInterval, _options.MinimumReAlertInterval, _options.ResolveAfterWindows));
            _series.Add((definitionIndex, group), state);
        }

        if (startNs <= state.LastStartNs)
        {
            _lateWindows++;
            return;
        }

        state.LastStartNs = startNs;
        _scored++;
        var output = state.Detector.Next(value);
        var (expected, lower, upper) = state.Baseline.Observe(value);
        if (!double.IsNaN(output.Expected))
        {
            (expected, lower, upper) = (output.Expected, output.Lower, output.Upper);
        }

        var score = double.IsNaN(output.AnomalyScore) ? 0 : output.AnomalyScore;
        var severity = output.Alert ? (score >= _options.CriticalScore ? 2 : 1) : 0;
        var ratio = expected > 0 ? value / expected : double.NaN;
        var spike = definition.Options.TrafficSignal && ratio >= _options.TrafficSpikeRatio;
        if (spike)
        {
            severity = 3;
        }

        var transition = state.Lifecycle.Step(startNs, severity);
        var window = new AnomalyWindowScore(definition, group, startNs, value, output, score, expected, lower, upper, ratio, severity, transition);
        if (severity > 0 || transition != AlertTransition.None || _options.WriteAllScores)
        {
            points.Add(AnomalyEventFormatter.Point(window, _options.Detector));
        }

        if (transition != AlertTransition.None)
        {
            Publish(window, state.Lifecycle);
        }

        if (spike && transition is AlertTransition.Open or AlertTransition.Renotify)
        {
            Signal(new TrafficSpikeSignal(group, DateTimeOffset.FromUnixTimeMilliseconds(startNs / 1_000_000), ratio, expected, value));
        }
    }

    private void Publish(AnomalyWindowScore window, AlertLifecycle lifecycle)
    {
        var alert = AnomalyEventFormatter.Alert(window, lifecycle, _options);
        try
        {
            _publisher.Publish(window.Group, AlertJson.ToUtf8(alert));
            Interlocked.Increment(ref _alerts);
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "Publishing the {Status} alert for {Metric} of {Service} failed", alert.Status, alert.Metric, window.Group);
        }
    }

    private void Signal(TrafficSpikeSignal signal)
    {
        foreach (var listener in _listeners)
        {
            try
            {
                listener.OnTrafficSpike(signal);
            }
            catch (Exception ex)
            {
                _logger.LogError(ex, "An emergency-signal listener failed on the traffic spike of {Service}", signal.Service);
            }
        }

        _spikes.OnNext(signal);
    }
}
