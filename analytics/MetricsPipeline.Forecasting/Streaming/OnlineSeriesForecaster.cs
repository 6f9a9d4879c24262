using MetricsPipeline.Forecasting.Store;

namespace MetricsPipeline.Forecasting.Streaming;

/// <summary>
/// One forecast series in the stream: buffers its recent values, trains a model once <see cref="StreamForecastOptions.TrainSize"/>
/// values are buffered (or adopts one from the model store, catching it up on the buffered values it has not seen),
/// and consumes every new window. Not thread-safe.
/// </summary>
public sealed partial class OnlineSeriesForecaster
{
    private readonly StreamForecastOptions _options;
    private readonly long _stepNs;
    private readonly double[] _values;
    private readonly long[] _starts;
    private readonly bool[] _filled;
    private int _head;
    private int _count;
    private long _lastStartNs = long.MinValue;
    private long _modelThroughNs = long.MinValue;
    private int _retryAt;

    /// <summary>The <see cref="ModelVersion"/> of models trained in the stream.</summary>
    public const string OnlineVersion = "online";

    /// <summary>Creates an empty series.</summary>
    public OnlineSeriesForecaster(StreamForecastOptions options, int series, string group, string seriesKey, TimeSpan step)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        Series = series;
        Group = group;
        SeriesKey = seriesKey;
        Step = step;
        _stepNs = step.Ticks * 100;
        var capacity = Math.Max(2 * options.TrainSize, options.TrainSize + options.Horizon);
        _values = new double[capacity];
        _starts = new long[capacity];
        _filled = new bool[capacity];
        _retryAt = options.TrainSize;
    }

    /// <summary>Index of the series configuration.</summary>
    public int Series { get; }

    /// <summary>The group tag's value.</summary>
    public string Group { get; }

    /// <summary>The series key.</summary>
    public string SeriesKey { get; }

    /// <summary>The window size.</summary>
    public TimeSpan Step { get; }

    /// <summary>The current model, or null while buffering.</summary>
    public SsaForecaster? Model { get; private set; }

    /// <summary><c>online</c>, <c>v{N}</c>, or empty while buffering.</summary>
    public string ModelVersion { get; private set; } = string.Empty;

    /// <summary>The store version in use (0 when the model was trained in the stream or there is none).</summary>
    public int StoreVersion { get; private set; }

    /// <summary>The current model's backtest score (NaN for models trained in the stream).</summary>
    public double Score { get; private set; } = double.NaN;

    /// <summary>Start of the last window observed (Unix ns), or <see cref="long.MinValue"/>.</summary>
    public long LastStartNs => _lastStartNs;

    /// <summary>
    /// Start of the newest window the model's state includes (Unix ns), or <see cref="long.MinValue"/> without a model. It
    /// can be ahead of <see cref="LastStartNs"/>: a store version trained through windows the stream has yet to (re)play.
    /// </summary>
    public long ModelThroughNs => _modelThroughNs;

    /// <summary>Values buffered.</summary>
    public int Buffered => _count;

    /// <summary>Times a gap longer than <see cref="StreamForecastOptions.MaxGapSteps"/> restarted the series (buffer and model dropped).</summary>
    public int Restarts { get; private set; }

    /// <summary>Failed training attempts.</summary>
    public int TrainFailures { get; private set; }

    /// <summary>Training attempts (failed or not) since this forecaster was created; not checkpointed.</summary>
    public int TrainAttempts { get; private set; }

    /// <summary>
    /// True when the next <see cref="Observe"/> would train if it is of the next window (enough values buffered, no model,
    /// no training failure being waited out); windows filled in for a gap count towards it too.
    /// </summary>
    public bool WantsTraining => Model is null && _count + 1 >= _retryAt;

    /// <summary>
    /// Feeds the window starting at <paramref name="startNs"/>. Repeated or older windows are ignored; short gaps are
    /// filled with the last value, longer ones restart the series. Trains when enough values are buffered and
    /// <paramref name="mayTrain"/> allows it. Returns true when the window was consumed and a model is ready to forecast
    /// from it (false for a repeated or older window, and for one an adopted store model was already trained through: the
    /// model's state is past it, so no forecast belongs to its start, and consuming it again would shift the model).
    /// </summary>
    public bool Observe(long startNs, double value, bool mayTrain = true)
    {
        if (_lastStartNs != long.MinValue)
        {
            if (startNs <= _lastStartNs)
            {
                // A forecast "from" this window would carry the newest state's values to this window's later steps and
                // overwrite the forecast points written for them when it was current.
                return false;
            }

            var missing = ((startNs - _lastStartNs) / _stepNs) - 1;
            if (missing > _options.MaxGapSteps)
            {
                Restart();
            }
            else
            {
                var last = _values[(_head + _values.Length - 1) % _values.Length];
                // From the start before the gap: Append moves _lastStartNs, so stepping from it put the filled windows at
                // +1, +3, +6, … steps (wrong starts in the buffer, which the catch-up of an adopted model compares).
                var before = _lastStartNs;
                for (long k = 1; k <= missing; k++)
                {
                    Append(before + (k * _stepNs), last, filled: true);
                }
            }
        }

        Append(startNs, value, filled: false);
        if (Model is null && _count >= _retryAt && mayTrain)
        {
            TrainInStream();
        }

        return Model is not null && _modelThroughNs == startNs;
    }

    /// <summary>
    /// Replaces the model with <paramref name="stored"/> and catches it up on the buffered windows after
    /// <see cref="ModelMetadata.TrainedThroughNs"/>. The caller has decided that it may replace the current one.
    /// </summary>
    public void Adopt(StoredModel stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        var model = stored.Model;
        for (var i = 0; i < _count; i++)
        {
            var at = Index(i);
            if (_starts[at] > stored.Metadata.TrainedThroughNs)
            {
                Consume(model, _values[at], _filled[at]);
            }
        }

        Model = model;
        // The stored state ends at TrainedThroughNs, or at the newest buffered window when that is later; windows up to
        // it that the stream (re)plays later are buffered but not consumed again.
        _modelThroughNs = Math.Max(stored.Metadata.TrainedThroughNs, _count > 0 ? _lastStartNs : long.MinValue);
        ModelVersion = stored.Metadata.VersionTag;
        StoreVersion = stored.Metadata.Version;
        Score = stored.Metadata.Score;
    }

    /// <summary>Forecasts the next <c>value.Length</c> windows with bounds.</summary>
    /// <exception cref="InvalidOperationException">No model yet.</exception>
    public void Forecast(Span<double> value, Span<double> lower, Span<double> upper)
    {
        var model = Model ?? throw new InvalidOperationException($"{SeriesKey} has no model yet.");
        model.Forecast(value, lower, upper);
    }

    private void TrainInStream()
    {
        var n = Math.Min(_count, _values.Length);
        var series = new double[n];
        for (var i = 0; i < n; i++)
        {
            series[i] = _values[Index(_count - n + i)];
        }

        TrainAttempts++;
        try
        {
            Model = SsaForecaster.Train(_options.ModelOptions(n), series);
            _modelThroughNs = _lastStartNs;
            ModelVersion = OnlineVersion;
            StoreVersion = 0;
            Score = double.NaN;
        }
        catch (Exception ex) when (ex is ArgumentException or ArithmeticException or InvalidOperationException)
        {
            // Degenerate data (e.g. NaN-only): try again later, backing off. Once the buffer is full, _retryAt beyond its
            // capacity is counted down by Append; capping it at the capacity, as before, retried on every window.
            TrainFailures++;
            _retryAt = _count + RetryDelay(TrainFailures);
        }
    }

    /// <summary>
    /// Windows to wait after the <paramref name="failures"/>-th failed training (counted over the series' life): a quarter
    /// of the training size, doubled after each further failure up to 16 quarters (4 × TrainSize).
    /// </summary>
    private int RetryDelay(int failures) => Math.Max(1, _options.TrainSize / 4) << Math.Min(Math.Max(failures, 1) - 1, 4);

    private void Restart()
    {
        Restarts++;
        _count = 0;
        _head = 0;
        _retryAt = _options.TrainSize;
        Model = null;
        _modelThroughNs = long.MinValue;
        ModelVersion = string.Empty;
        StoreVersion = 0;
        Score = double.NaN;
    }

    // A filled window moves the model's state but is not scored by its bound recalibration (it was not observed), as the
    // CLI's filled time-grid slots are not.
    private static void Consume(SsaForecaster model, double value, bool filled)
    {
        if (filled)
        {
            model.ConsumeFilled(value);
        }
        else
        {
            model.Consume(value);
        }
    }

    private void Append(long startNs, double value, bool filled)
    {
        _values[_head] = value;
        _starts[_head] = startNs;
        _filled[_head] = filled;
        _head = (_head + 1) % _values.Length;
        if (_count < _values.Length)
        {
            _count++;
        }
        else if (_retryAt > _count)
        {
            // A full buffer's count stands still: the windows still to wait before the next training are counted down.
            _retryAt--;
        }

        _lastStartNs = startNs;
        if (Model is not null && startNs > _modelThroughNs)
        {
            Consume(Model, value, filled);
            _modelThroughNs = startNs;
        }
    }

    // The i-th oldest buffered value.
    private int Index(int i) => (_head - _count + i + (2 * _values.Length)) % _values.Length;
}
