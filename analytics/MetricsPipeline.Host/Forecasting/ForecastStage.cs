using System.Globalization;
using MetricsPipeline.Analytics.Pipeline;
using MetricsPipeline.Analytics.Windows;
using MetricsPipeline.Forecasting.Streaming;
using MetricsPipeline.Ingest.Model;
using Microsoft.Extensions.Logging;

namespace MetricsPipeline.Host.Forecasting;

/// <summary>
/// The stream's forecasting stage: combines the configured window statistics per group (e.g. the request rate of all
/// of a service's instances), updates each series' SSA model as its window closes, writes <c>forecast</c> points
/// for the configured steps (fields <c>value</c>, <c>lower</c>, <c>upper</c>; tags: the group tag, <c>metric</c>,
/// <c>source</c>, <c>window</c>, <c>step</c>, <c>model_version</c>; timestamp = start of the forecast window) and hands every forecast to the
/// subscribed <see cref="IForecastListener"/>s (the scaling stage). Runs on the pipeline thread.
/// </summary>
public sealed partial class ForecastStage : IWindowStage
{
    /// <summary>The measurement of the forecast points.</summary>
    public const string Measurement = "forecast";

    private readonly StreamForecastEngine _engine;
    private readonly ServiceSeriesAggregator _aggregator;
    private readonly WindowRecords _records = new();
    private readonly HashSet<(string Measurement, string Field, string Window)> _selected;
    private readonly List<IForecastListener> _listeners = [];
    private readonly Lock _listenersGate = new();
    private readonly string[] _stepNames;
    private readonly IReadOnlyList<int> _writeSteps;
    private readonly ILogger _logger;

    /// <summary>Creates the stage.</summary>
    /// <param name="engine">The per-series forecasters.</param>
    /// <param name="quantileNames">The window quantile names (<c>p50</c>, …) in the configured order.</param>
    /// <param name="logger">Logs listener failures.</param>
    public ForecastStage(StreamForecastEngine engine, IReadOnlyList<string> quantileNames, ILogger logger)
    {
        _engine = engine ?? throw new ArgumentNullException(nameof(engine));
        _aggregator = new ServiceSeriesAggregator(engine.Series, quantileNames);
        _selected = engine.Series.Select(s => (s.Measurement, s.Field, s.Window)).ToHashSet();
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        var horizon = engine.Options.Horizon;
        _stepNames = Enumerable.Range(1, horizon).Select(k => k.ToString(CultureInfo.InvariantCulture)).ToArray();
        _writeSteps = engine.Options.EffectiveWriteSteps;
        _engine.ModelNotice ??= LogModelNotice;
    }

    /// <inheritdoc />
    public string Name => "forecast";

    /// <summary>The engine (series, counters).</summary>
    public StreamForecastEngine Engine => _engine;

    /// <summary>Hands every future forecast to <paramref name="listener"/> until the returned handle is disposed. Thread-safe.</summary>
    public IDisposable Subscribe(IForecastListener listener)
    {
        ArgumentNullException.ThrowIfNull(listener);
        lock (_listenersGate)
        {
            _listeners.Add(listener);
        }

        return new Unsubscriber(this, listener);
    }

    /// <inheritdoc />
    public IReadOnlyList<MetricPoint> OnWindows(AggregateBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var rows = _records.From(batch.Windows, (m, f, w) => _selected.Contains((m, f, w)));
        var observations = _aggregator.Aggregate(rows);
        var forecasts = _engine.Process(observations);
        if (forecasts.Count == 0)
        {
            return [];
        }

        IForecastListener[] listeners;
        lock (_listenersGate)
        {
            listeners = [.. _listeners];
        }

        var points = new List<MetricPoint>(forecasts.Count * _writeSteps.Count);
        foreach (var forecast in forecasts)
        {
            AddPoints(forecast, points);
            foreach (var listener in listeners)
            {
                try
                {
                    listener.OnForecast(forecast);
                }
                catch (Exception ex)
                {
                    // A listener's bug must not cost the forecasts their write.
                    _logger.LogError(ex, "Forecast listener {Listener} failed", listener.GetType().Name);
                }
            }
        }

        return points;
    }

    private void LogModelNotice(ModelReloadNotice notice)
    {
        // A refused or unreadable model leaves the series on its old model with no other sign: say so where operators look.
        if (notice.Adopted)
        {
            _logger.LogInformation("Forecast model store: {Notice}", notice.Message);
        }
        else
        {
            _logger.LogWarning("Forecast model store: {Notice}", notice.Message);
        }
    }

    private void AddPoints(ServiceForecast forecast, List<MetricPoint> points)
    {
        var config = _engine.Series.First(s => s.MetricName == forecast.Metric && forecast.SeriesKey.StartsWith(s.Source + "|", StringComparison.Ordinal));
        var originNs = (forecast.Origin.UtcTicks - DateTime.UnixEpoch.Ticks) * 100;
        var stepNs = forecast.Step.Ticks * 100;
        foreach (var k in _writeSteps)
        {
            var tags = new List<KeyValuePair<string, string>>(6)
            {
                new("metric", forecast.Metric),
                new("model_version", forecast.ModelVersion),
                new("source", $"{config.Measurement}.{config.Field}.{config.Statistic}"),
                new("step", _stepNames[k - 1]),
                new("window", config.Window),
            };
            // Grouped: the group tag; ungrouped: the source series' tags in one tag (they vary per series).
            tags.Add(string.IsNullOrEmpty(config.GroupBy)
                ? new("series", forecast.SeriesKey[(forecast.SeriesKey.IndexOf('|', StringComparison.Ordinal) + 1)..])
                : new(config.GroupBy, forecast.Service));
            tags.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
            if (!double.IsFinite(forecast.Value[k - 1]) || !double.IsFinite(forecast.Lower[k - 1]) || !double.IsFinite(forecast.Upper[k - 1]))
            {
                continue;
            }

            points.Add(new MetricPoint(
                Measurement,
                tags,
                [
                    new("value", FieldValue.FromDouble(forecast.Value[k - 1])),
                    new("lower", FieldValue.FromDouble(forecast.Lower[k - 1])),
                    new("upper", FieldValue.FromDouble(forecast.Upper[k - 1])),
                ],
                originNs + (k * stepNs)));
        }
    }

    private sealed class Unsubscriber(ForecastStage stage, IForecastListener listener) : IDisposable
    {
        public void Dispose()
        {
            lock (stage._listenersGate)
            {
                stage._listeners.Remove(listener);
            }
        }
    }
}
