using MetricsPipeline.Forecasting;

namespace MetricsPipeline.Decisions.Forecasts;

/// <summary>
/// <see cref="ILoadForecaster"/> on the SSA forecaster (ML.NET ForecastBySsa semantics): averages observations into
/// fixed steps, trains once <see cref="SsaLoadForecasterOptions.TrainSize"/> steps are in, then consumes each
/// completed step and periodically retrains on the latest history. With <see cref="SsaLoadForecasterOptions.AutoTune"/>
/// each training chooses the model with <see cref="SsaAutoTuner"/> on the kept history (up to
/// <see cref="SsaLoadForecasterOptions.TuneHistorySize"/> steps) and builds it as the <c>retrain</c> job builds the
/// stream's models. Not thread-safe.
/// </summary>
public sealed class SsaLoadForecaster : ILoadForecaster
{
    private readonly SsaLoadForecasterOptions _o;
    private readonly List<double> _history = [];
    private SsaForecaster? _model;
    private long _bucket = long.MinValue;
    private double _sum;
    private int _count;
    private int _sinceTraining;
    private double[] _forecast = [];
    private double[] _lower = [];
    private double[] _upper = [];
    private string _modelName = "ssa";
    private int _sinceTuning;

    /// <summary>Creates the forecaster.</summary>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public SsaLoadForecaster(SsaLoadForecasterOptions? options = null)
    {
        _o = options ?? new SsaLoadForecasterOptions();
        _o.Validate();
    }

    /// <summary>Whether a model is trained (forecasts are available).</summary>
    public bool IsReady => _model is not null;

    /// <summary>The tuner's choice at the last training, or null (plain SSA, not trained yet, or the tuner failed).</summary>
    public SsaTuning? Tuning { get; private set; }

    /// <summary>Trainings so far (the first one and every retraining).</summary>
    public int Trainings { get; private set; }

    /// <summary>Trainings that ran <see cref="SsaAutoTuner"/> (the others refitted the last choice or were plain SSA).</summary>
    public int Tunings { get; private set; }

    /// <summary>Wall time spent in <see cref="SsaAutoTuner"/> so far.</summary>
    public TimeSpan TuningTime { get; private set; }

    /// <summary>
    /// Trainings at which <see cref="SsaAutoTuner"/> failed (e.g. a constant history): each fell back to plain SSA with
    /// <see cref="SsaLoadForecasterOptions.WindowSize"/>, so the forecaster stays ready; counted here rather than lost.
    /// </summary>
    public int TuningFailures { get; private set; }

    /// <summary>The history the next training would use, oldest first (at most the kept length). For tests and diagnostics.</summary>
    public IReadOnlyList<double> History => _history;

    /// <inheritdoc />
    public void Observe(DateTimeOffset time, double value)
    {
        if (double.IsNaN(value))
        {
            return;
        }

        long bucket = time.UtcTicks / _o.Step.Ticks;
        if (_bucket != long.MinValue && bucket != _bucket && _count > 0)
        {
            Complete(_sum / _count);
            _sum = 0;
            _count = 0;
        }

        _bucket = bucket;
        _sum += value;
        _count++;
    }

    /// <inheritdoc />
    public LoadForecast? Forecast(DateTimeOffset now, TimeSpan lead)
    {
        if (_model is null)
        {
            return null;
        }

        // Step 1 is the bucket in progress (the one after the last consumed); step h holds now + lead.
        long target = (now + lead).UtcTicks / _o.Step.Ticks;
        int h = (int)Math.Clamp(target - _bucket + 1, 1, 10_000);

        // A tuned model forecasts at least its trained horizon: its online bound recalibration (the stream's models
        // have it) records and adjusts full-horizon forecasts only, so shorter ones would leave it idle. A step's value
        // does not depend on how many steps follow it.
        int steps = Tuning is null ? h : Math.Max(h, _o.TuneHorizon);
        if (_forecast.Length < steps)
        {
            _forecast = new double[steps];
            _lower = new double[steps];
            _upper = new double[steps];
        }

        _model.Forecast(_forecast.AsSpan(0, steps), _lower.AsSpan(0, steps), _upper.AsSpan(0, steps));
        int best = h - 1;
        return new LoadForecast(now, lead, _forecast[best], _lower[best], _upper[best], _o.ConfidenceLevel, _modelName);
    }

    private void Complete(double mean)
    {
        _history.Add(mean);
        if (_history.Count > (_o.AutoTune ? _o.TuneHistorySize : _o.TrainSize))
        {
            _history.RemoveAt(0);
        }

        if (_model is not null)
        {
            _model.Consume(mean);
            _sinceTraining++;
            _sinceTuning++;
        }

        if ((_model is null && _history.Count >= _o.TrainSize) || (_o.RetrainEvery > 0 && _sinceTraining >= _o.RetrainEvery))
        {
            Train();
        }
    }

    private void Train()
    {
        var history = _history.ToArray();
        _model = _o.AutoTune ? TrainTuned(history) : null;
        _model ??= SsaForecaster.Train(PlainOptions(history.Length), history);
        _modelName = Tuning is null ? "ssa" : "ssa-tuned: " + Tuning.Describe();
        _sinceTraining = 0;
        Trainings++;
    }

    private SsaForecasterOptions PlainOptions(int trainSize) => new()
    {
        WindowSize = _o.WindowSize,
        SeriesLength = _o.WindowSize + 1,
        TrainSize = trainSize,
        Horizon = 1,
        VariableHorizon = true,
        ConfidenceLevel = (float)_o.ConfidenceLevel,
    };

    /// <summary>
    /// The tuner's model of <paramref name="history"/>, built as <c>ModelRetrainer</c> builds the stream's (tuned window,
    /// rank cap, bound scale, fixed rank and combination); null when the tuner fails, counted in <see cref="TuningFailures"/>.
    /// </summary>
    private SsaForecaster? TrainTuned(double[] history)
    {
        float level = (float)_o.ConfidenceLevel;
        try
        {
            var tuning = Tuning;
            if (tuning is null || (_o.RetuneEvery > 0 && _sinceTuning >= _o.RetuneEvery))
            {
                long started = System.Diagnostics.Stopwatch.GetTimestamp();
                Tunings++;
                tuning = SsaAutoTuner.Tune(history, TunedHorizon(history.Length), confidenceLevel: level);
                TuningTime += System.Diagnostics.Stopwatch.GetElapsedTime(started);
                _sinceTuning = 0;
            }

            var model = SsaForecaster.Train(TunedOptions(tuning, history.Length), history);
            Tuning = tuning;
            return model;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or ArithmeticException)
        {
            Tuning = null;
            TuningFailures++;
            return null;
        }
    }

    /// <summary>The options of <paramref name="tuning"/>'s model on <paramref name="trainSize"/> steps, as the <c>retrain</c> job sets them (<see cref="SsaTuning.ServingOptions"/>).</summary>
    internal SsaForecasterOptions TunedOptions(SsaTuning tuning, int trainSize)
    {
        var options = tuning.ServingOptions(_o.TuneHorizon, (float)_o.ConfidenceLevel, _o.RecalibrationWindow);
        options.TrainSize = trainSize;
        return options;
    }

    /// <summary>The horizon the tuner scores on <paramref name="length"/> steps: <see cref="SsaLoadForecasterOptions.TuneHorizon"/>, at most a tenth of them (as the retrain job caps it).</summary>
    internal int TunedHorizon(int length) => Math.Min(_o.TuneHorizon, Math.Max(1, length / 10));
}
