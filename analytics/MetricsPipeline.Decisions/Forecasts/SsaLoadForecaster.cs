using MetricsPipeline.Forecasting;

namespace MetricsPipeline.Decisions.Forecasts;

/// <summary>
/// <see cref="ILoadForecaster"/> on the SSA forecaster (ML.NET ForecastBySsa semantics): averages observations into
/// fixed steps, trains once <see cref="SsaLoadForecasterOptions.TrainSize"/> steps are in, then consumes each
/// completed step and periodically retrains on the latest history. Not thread-safe.
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

    /// <summary>Creates the forecaster.</summary>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public SsaLoadForecaster(SsaLoadForecasterOptions? options = null)
    {
        _o = options ?? new SsaLoadForecasterOptions();
        _o.Validate();
    }

    /// <summary>Whether a model is trained (forecasts are available).</summary>
    public bool IsReady => _model is not null;

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
        if (_forecast.Length < h)
        {
            _forecast = new double[h];
            _lower = new double[h];
            _upper = new double[h];
        }

        _model.Forecast(_forecast.AsSpan(0, h), _lower.AsSpan(0, h), _upper.AsSpan(0, h));
        int best = h - 1;
        return new LoadForecast(now, lead, _forecast[best], _lower[best], _upper[best], _o.ConfidenceLevel, "ssa");
    }

    private void Complete(double mean)
    {
        _history.Add(mean);
        if (_history.Count > _o.TrainSize)
        {
            _history.RemoveAt(0);
        }

        if (_model is not null)
        {
            _model.Consume(mean);
            _sinceTraining++;
        }

        if ((_model is null && _history.Count >= _o.TrainSize) || (_o.RetrainEvery > 0 && _sinceTraining >= _o.RetrainEvery))
        {
            Train();
        }
    }

    private void Train()
    {
        var options = new SsaForecasterOptions
        {
            WindowSize = _o.WindowSize,
            SeriesLength = _o.WindowSize + 1,
            TrainSize = _history.Count,
            Horizon = 1,
            VariableHorizon = true,
            ConfidenceLevel = (float)_o.ConfidenceLevel,
        };
        _model = SsaForecaster.Train(options, _history.ToArray());
        _sinceTraining = 0;
    }
}
