using System.Globalization;
using MetricsPipeline.Forecasting.Store;

namespace MetricsPipeline.Forecasting.Streaming;

/// <summary>
/// All forecast series of the stream: routes each combined window value to its series, forecasts after every update,
/// and swaps in new model versions from the store (polled every <see cref="StreamForecastOptions.ReloadInterval"/>,
/// only when the store's generation changed; a version that scores worse than the running model is skipped unless
/// forced or <see cref="StreamForecastOptions.AcceptWorseModels"/>). Not thread-safe: driven by the pipeline thread.
/// </summary>
public sealed partial class StreamForecastEngine
{
    private readonly StreamForecastOptions _options;
    private readonly IReadOnlyList<ForecastSeriesOptions> _series;
    private readonly TimeSpan[] _steps;
    private readonly ModelStore? _store;
    private readonly TimeProvider _time;
    private readonly Dictionary<string, OnlineSeriesForecaster> _byKey = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _rejectedVersion = new(StringComparer.Ordinal);
    private long _storeGeneration = -1;
    private DateTimeOffset _nextReload = DateTimeOffset.MinValue;

    /// <summary>Creates the engine.</summary>
    /// <param name="options">Settings (validated here).</param>
    /// <param name="store">The model store, or null to train in the stream only.</param>
    /// <param name="time">The processing-time clock (paces the store polling).</param>
    public StreamForecastEngine(StreamForecastOptions options, ModelStore? store, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _series = options.EffectiveSeries;
        _steps = _series.Select(s => WindowText.Parse(s.Window)).ToArray();
        _store = store;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>The settings.</summary>
    public StreamForecastOptions Options => _options;

    /// <summary>The series configurations in use.</summary>
    public IReadOnlyList<ForecastSeriesOptions> Series => _series;

    /// <summary>The series seen so far, by key.</summary>
    public IReadOnlyDictionary<string, OnlineSeriesForecaster> SeriesByKey => _byKey;

    /// <summary>Models trained in the stream.</summary>
    public long ModelsTrained { get; private set; }

    /// <summary>Store versions loaded.</summary>
    public long ModelsLoaded { get; private set; }

    /// <summary>Store versions skipped because they scored worse than the running model.</summary>
    public long ModelsRejected { get; private set; }

    /// <summary>Store versions that could not be read.</summary>
    public long ModelLoadErrors { get; private set; }

    /// <summary>
    /// Called on the pipeline thread for every store version the engine loads, rejects or cannot read, with a sentence
    /// naming the series, the version and why: the counters alone cannot tell an operator which model was refused or is
    /// corrupt. The default (null) reports nothing.
    /// </summary>
    public Action<ModelReloadNotice>? ModelNotice { get; set; }

    /// <summary>Forecasts made.</summary>
    public long ForecastsMade { get; private set; }

    /// <summary>
    /// Feeds <paramref name="observations"/> (ordered by window start) and returns one forecast per observation whose
    /// series has a model.
    /// </summary>
    public List<ServiceForecast> Process(IReadOnlyList<SeriesObservation> observations)
    {
        ArgumentNullException.ThrowIfNull(observations);
        MaybeReload();
        var forecasts = new List<ServiceForecast>();
        var trainings = 0;
        foreach (var o in observations)
        {
            if (!_byKey.TryGetValue(o.SeriesKey, out var series))
            {
                series = new OnlineSeriesForecaster(_options, o.Series, o.Group, o.SeriesKey, _steps[o.Series]);
                _byKey[o.SeriesKey] = series;
                TryLoad(series);
            }

            var trainedBefore = series.ModelVersion == OnlineSeriesForecaster.OnlineVersion;
            var mayTrain = trainings < _options.MaxTrainingsPerBatch;
            var restarts = series.Restarts;
            var attempts = series.TrainAttempts;
            var ready = series.Observe(o.StartNs, o.Value, mayTrain);
            // Counted as they happen: WantsTraining, asked before, missed a series whose gap-filled windows brought it to
            // its training size in this observation, and the cap could be exceeded.
            trainings += series.TrainAttempts - attempts;
            if (series.Restarts != restarts)
            {
                // Back after a long gap without a model: like a new series, it starts from the version the store gives it
                // (the store may not have changed, so the next reload would not look), not from nothing.
                _rejectedVersion.Remove(series.SeriesKey);
                TryLoad(series);
                ready = series.Model is not null && series.ModelThroughNs == o.StartNs;
            }

            if (!ready)
            {
                continue;
            }

            if (!trainedBefore && series.ModelVersion == OnlineSeriesForecaster.OnlineVersion)
            {
                ModelsTrained++;
            }

            var h = _options.Horizon;
            var value = new double[h];
            var lower = new double[h];
            var upper = new double[h];
            series.Forecast(value, lower, upper);
            ForecastsMade++;
            forecasts.Add(new ServiceForecast(
                o.Group,
                _series[o.Series].MetricName,
                o.SeriesKey,
                DateTimeOffset.UnixEpoch.AddTicks(o.StartNs / 100),
                series.Step,
                value,
                lower,
                upper,
                series.ModelVersion));
        }

        return forecasts;
    }

    /// <summary>Checks the store now (normally paced by <see cref="StreamForecastOptions.ReloadInterval"/>).</summary>
    public void ReloadNow()
    {
        if (_store is null)
        {
            return;
        }

        _nextReload = _time.GetUtcNow() + _options.ReloadInterval;
        var generation = _store.Generation();
        if (generation == _storeGeneration)
        {
            return;
        }

        _storeGeneration = generation;
        foreach (var series in _byKey.Values)
        {
            TryLoad(series);
        }
    }

    private void MaybeReload()
    {
        if (_store is not null && _time.GetUtcNow() >= _nextReload)
        {
            ReloadNow();
        }
    }

    private void TryLoad(OnlineSeriesForecaster series)
    {
        if (_store is null)
        {
            return;
        }

        var latest = 0;
        try
        {
            var versions = _store.Versions(series.SeriesKey);
            if (versions.Count == 0)
            {
                return;
            }

            latest = versions[^1];
            if (latest <= series.StoreVersion || (_rejectedVersion.TryGetValue(series.SeriesKey, out var rejected) && rejected >= latest))
            {
                return;
            }

            var metadata = _store.ReadMetadata(series.SeriesKey, latest);
            if (metadata is null)
            {
                ModelLoadErrors++;
                Notify(series.SeriesKey, latest, false, $"v{latest} not loaded: its metadata (v{latest}.json) is unreadable");
                return;
            }

            if (series.Model is not null)
            {
                // The running model's own metadata carries its coverage (none for a model trained in the stream).
                var current = series.StoreVersion > 0 ? _store.ReadMetadata(series.SeriesKey, series.StoreVersion) : null;
                if (metadata.WhyNotAdopted(current, series.Score, _options.AcceptWorseModels, _options.MinModelCoverage, $"the running {series.ModelVersion}") is { } why)
                {
                    ModelsRejected++;
                    _rejectedVersion[series.SeriesKey] = latest;
                    Notify(series.SeriesKey, latest, false, $"v{latest} not loaded: {why}; {HowToLoad(why)}");
                    return;
                }
            }

            if (series.Model is null && versions.Count > 1 && Kept(series.SeriesKey, versions) is { } kept && kept.Version != latest)
            {
                // A series without a model (a restart, a series back after a long gap) takes the version a pipeline
                // running all along would have kept, not simply the newest: a version refused as worse must not come
                // back with a restart.
                ModelsRejected++;
                _rejectedVersion[series.SeriesKey] = latest;
                var why = metadata.WhyNotAdopted(kept, kept.Score, _options.AcceptWorseModels, _options.MinModelCoverage, kept.VersionTag)
                    ?? $"a version after v{kept.Version} was refused";
                Notify(series.SeriesKey, latest, false, $"v{latest} not loaded: {why}; {HowToLoad(why)}");
                metadata = kept;
                latest = kept.Version;
            }

            var running = series.ModelVersion;
            series.Adopt(_store.Load(series.SeriesKey, latest));
            ModelsLoaded++;
            Notify(series.SeriesKey, latest, true, string.Create(
                CultureInfo.InvariantCulture,
                $"v{latest} loaded (score {metadata.Score:F4}) in place of {(running.Length == 0 ? "no model" : running)}"));
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or UnauthorizedAccessException or EndOfStreamException)
        {
            ModelLoadErrors++;
            Notify(series.SeriesKey, latest, false, $"v{latest} not loaded: {ex.Message}");
        }
    }

    // The version a series would hold had it seen every stored version in turn under the usual rule; unreadable
    // metadata is passed over as it would have been then.
    private ModelMetadata? Kept(string seriesKey, IReadOnlyList<int> versions)
    {
        ModelMetadata? kept = null;
        foreach (var version in versions)
        {
            if (_store!.ReadMetadata(seriesKey, version) is { } candidate
                && (kept is null || candidate.WhyNotAdopted(kept, kept.Score, _options.AcceptWorseModels, _options.MinModelCoverage, kept.VersionTag) is null))
            {
                kept = candidate;
            }
        }

        return kept;
    }

    // A score can be overridden by AcceptWorseModels; too narrow bounds only by promoting the version.
    private static string HowToLoad(string why) => why.StartsWith("its bounds", StringComparison.Ordinal)
        ? "retrain --promote loads it (or lower Analytics:Forecasting:MinModelCoverage)"
        : "retrain --promote or Analytics:Forecasting:AcceptWorseModels loads it";

    private void Notify(string seriesKey, int version, bool adopted, string message) =>
        ModelNotice?.Invoke(new ModelReloadNotice(seriesKey, version, adopted, $"{seriesKey}: {message}"));
}
