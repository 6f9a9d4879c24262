namespace MetricsPipeline.Forecasting;

/// <summary>
/// A trained SSA forecaster (ML.NET's adaptive singular-spectrum sequence modeler). Create one with
/// <see cref="Train"/>; feed points with <see cref="Consume"/>; forecast with <see cref="Forecast(Span{double}, Span{double}, Span{double})"/>.
/// Consume and Forecast allocate nothing in steady state. Not thread-safe: use one instance per series and thread.
/// </summary>
public sealed class SsaForecaster
{
    private readonly SsaModelState _s;
    private readonly Float32 _f;
    private readonly double[] _lag;
    private readonly double[] _projection;
    private readonly double[] _smoothed;
    private double[] _run = [];
    private double[] _sd = [];
    private readonly double _z;
    private readonly double _boundScale;
    private readonly double[] _naiveWeights;
    private readonly double[] _medianScratch;
    private readonly double _levelShare;
    private readonly bool _log;
    private readonly int[] _arLags;
    private readonly int[] _overlayLags;
    private readonly double[] _overlayWeights;
    private double[] _arRun = [];

    internal SsaForecaster(SsaForecasterOptions options, SsaModelState state)
    {
        Options = options.Clone();
        _s = state;
        _f = new Float32(options.Compatibility == SsaCompatibility.MlNet);
        int l = state.WindowSize;
        _lag = new double[l];
        _projection = new double[Math.Max(1, state.Rank)];
        _smoothed = new double[l];

        _z = NormalQuantile.Probit(0.5 + (options.ConfidenceLevel / 2.0));
        _boundScale = _f.Enabled ? 1 : options.BoundScale;
        _naiveWeights = _f.Enabled || state.Seasonal.Length == 0 ? [] : [.. options.NaiveStepWeights ?? [options.NaiveWeight]];
        // With a median naive the ring holds the last k values; selection reorders a copy, so the ring keeps its order.
        _medianScratch = _naiveWeights.Length != 0 && options.NaiveMedianLength > 0 ? new double[state.Seasonal.Length] : [];
        // A level ring (season 1) is the last value already: the share would change nothing there.
        _levelShare = _naiveWeights.Length != 0 && state.Seasonal.Length > 1 ? options.NaiveLevelShare : 0;
        _log = options.IsLogTransformed;
        _arLags = _naiveWeights.Length != 0 && state.Autoregression.Length != 0 ? options.AutoregressiveLags : [];
        bool overlay = !_f.Enabled && state.Overlay.Length != 0 && options.AutoregressiveOverlayWeights is not null;
        _overlayLags = overlay ? options.AutoregressiveOverlayLags : [];
        _overlayWeights = overlay ? [.. options.AutoregressiveOverlayWeights!] : [];
        EnsureHorizon(options.Horizon);
    }

    /// <summary>
    /// Trains on the non-NaN values among the first <c>TrainSize</c> elements of <paramref name="series"/> (a NaN is
    /// skipped, not replaced by a later element; with 2 × WindowSize values or fewer the model stays untrained and
    /// forecasts 0, as ML.NET's does).
    /// </summary>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public static SsaForecaster Train(SsaForecasterOptions options, ReadOnlySpan<double> series)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (options.IsLogTransformed)
        {
            // The model lives on the log scale: train (and seed the naive ring) on ln(x + c).
            var scaled = new double[series.Length];
            for (int i = 0; i < scaled.Length; i++)
            {
                scaled[i] = options.ToModelScale(series[i]);
            }

            series = scaled;
        }

        var state = SsaTrainer.Train(options, series);
        if (options.Compatibility == SsaCompatibility.Default)
        {
            if (options.HasCombination)
            {
                var training = series[..Math.Min(series.Length, options.TrainSize)];
                int ring = options.NaiveMedianLength > 0 ? options.NaiveMedianLength
                    : options.NaiveAutoregressive ? options.AutoregressiveLags[^1]
                    : options.NaiveSeason;
                SeedSeasonal(state, ring, training);
                if (options.NaiveAutoregressive)
                {
                    state.Autoregression = FitAutoregression(training, options.AutoregressiveLags);
                }
            }

            if (options.HasAutoregressiveOverlay)
            {
                var training = series[..Math.Min(series.Length, options.TrainSize)];
                var lags = options.AutoregressiveOverlayLags;
                state.OverlayRing = new double[lags[^1]];
                for (int i = TailStart(training, lags[^1]); i < training.Length; i++)
                {
                    if (!double.IsNaN(training[i]))
                    {
                        PushOverlay(state, training[i]);
                    }
                }

                state.Overlay = FitAutoregression(training, lags);
            }

            if (options.RecalibrationWindow > 0)
            {
                state.Calibrator = new OnlineBoundCalibrator(options.Horizon, options.ConfidenceLevel, options.RecalibrationWindow, maxTrackedSteps: OnlineBoundCalibrator.DefaultMaxTrackedSteps);
            }
        }

        return new SsaForecaster(options, state);
    }

    private static void SeedSeasonal(SsaModelState state, int season, ReadOnlySpan<double> training)
    {
        state.Seasonal = new double[season];
        state.SeasonalCount = 0;
        state.SeasonalHead = 0;
        for (int i = TailStart(training, season); i < training.Length; i++)
        {
            if (!double.IsNaN(training[i]))
            {
                PushSeasonal(state, training[i]);
            }
        }
    }

    /// <summary>Where the last <paramref name="count"/> non-NaN values of <paramref name="training"/> begin (a ring's seed).</summary>
    private static int TailStart(ReadOnlySpan<double> training, int count)
    {
        int start = training.Length;
        for (int kept = 0; start > 0 && kept < count; start--)
        {
            if (!double.IsNaN(training[start - 1]))
            {
                kept++;
            }
        }

        return start;
    }

    /// <summary>
    /// Least-squares coefficients (intercept, then one per lag) of the value on the values <paramref name="lags"/> back,
    /// over the training rows where all are present (NaN rows skipped, the ring's convention). With too few rows, or a
    /// degenerate fit (constant values make the normal equations singular), the last value: intercept 0, lag 1 weight 1.
    /// </summary>
    internal static double[] FitAutoregression(ReadOnlySpan<double> training, int[] lags)
    {
        var values = new List<double>(training.Length);
        foreach (double v in training)
        {
            if (!double.IsNaN(v))
            {
                values.Add(v);
            }
        }

        int p = lags.Length + 1;
        int maxLag = lags[^1];
        var fallback = new double[p];
        fallback[1] = 1;
        int rows = values.Count - maxLag;
        if (rows < 10 * p)
        {
            return fallback;
        }

        var x = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.Dense(rows, p);
        var y = MathNet.Numerics.LinearAlgebra.Vector<double>.Build.Dense(rows);
        for (int t = maxLag; t < values.Count; t++)
        {
            int row = t - maxLag;
            x[row, 0] = 1;
            for (int k = 0; k < lags.Length; k++)
            {
                x[row, k + 1] = values[t - lags[k]];
            }

            y[row] = values[t];
        }

        var qr = x.QR(MathNet.Numerics.LinearAlgebra.Factorization.QRMethod.Thin);
        if (!qr.IsFullRank)
        {
            return fallback;
        }

        var beta = qr.Solve(y).ToArray();
        return beta.All(double.IsFinite) ? beta : fallback;
    }

    /// <summary>The most recent value in the naive ring (the slot before the head).</summary>
    private double Newest() => _s.Seasonal[(_s.SeasonalHead == 0 ? _s.Seasonal.Length : _s.SeasonalHead) - 1];

    private static void PushOverlay(SsaModelState state, double value)
    {
        var ring = state.OverlayRing;
        ring[state.OverlayHead] = value;
        state.OverlayHead = state.OverlayHead + 1 == ring.Length ? 0 : state.OverlayHead + 1;
        state.OverlayCount = Math.Min(state.OverlayCount + 1, ring.Length);
    }

    /// <summary>
    /// Runs an autoregression (<paramref name="coefficients"/>: intercept, then one per lag) from a ring whose next write
    /// position is <paramref name="head"/>, on its own forecasts past the newest value: lag k at step i + 1 is the ring
    /// value k − i − 1 back while k > i, else its own forecast for step i + 1 − k.
    /// </summary>
    private static void RunAutoregression(double[] ring, int head, double[] coefficients, int[] lags, Span<double> own)
    {
        int size = ring.Length;
        for (int i = 0; i < own.Length; i++)
        {
            double value = coefficients[0];
            for (int k = 0; k < lags.Length; k++)
            {
                int back = lags[k] - i; // 1 = the newest value in the ring
                // 1 ≤ back ≤ size and 0 ≤ head < size, so one wrap suffices (no integer division in the loop).
                int slot = head - back;
                double lagged = back >= 1 ? ring[slot < 0 ? slot + size : slot] : own[-back];
                value += coefficients[k + 1] * lagged;
            }

            own[i] = value;
        }
    }

    private static void PushSeasonal(SsaModelState state, double value)
    {
        var ring = state.Seasonal;
        ring[state.SeasonalHead] = value;
        state.SeasonalHead = state.SeasonalHead + 1 == ring.Length ? 0 : state.SeasonalHead + 1;
        state.SeasonalCount = Math.Min(state.SeasonalCount + 1, ring.Length);
    }

    /// <summary>The options the model was trained with (a copy).</summary>
    public SsaForecasterOptions Options { get; }

    /// <summary>Effective window length L (ML.NET may shrink it when an eigenvector is a unit vector).</summary>
    public int WindowSize => _s.WindowSize;

    /// <summary>Selected signal rank (0 if the model is untrained).</summary>
    public int Rank => _s.Rank;

    /// <summary>Whether training ran; an untrained model (too few points) forecasts 0.</summary>
    public bool IsTrained => _s.IsTrained;

    /// <summary>Recurrent coefficients α (length L−1); the last multiplies the newest value.</summary>
    public ReadOnlySpan<double> Alpha => _s.Alpha;

    /// <summary>Signal-subspace basis u₀…u_{r−1}, each of length L, concatenated.</summary>
    public ReadOnlySpan<double> Basis => _s.Basis;

    /// <summary>Current smoothed state (length L−1), oldest first.</summary>
    public ReadOnlySpan<double> State => _s.State;

    /// <summary>Noise moments estimated in training.</summary>
    public NoiseMoments Noise => _s.Noise;

    /// <summary>
    /// The one-step forecast for the next, not yet consumed point (used for prediction errors), on the data's scale
    /// (with <see cref="SsaForecasterOptions.LogOffset"/>, turned back from the model's log scale).
    /// </summary>
    public double NextPrediction => _log ? Options.FromModelScale(_s.NextPrediction) : _s.NextPrediction;

    /// <summary>Number of non-NaN points consumed since training.</summary>
    public long ConsumedCount => _s.Consumed;

    internal SsaModelState ModelState => _s;

    /// <summary>Feeds one observation: moves the state and updates <see cref="NextPrediction"/>. NaN is ignored.</summary>
    public void Consume(double value) => ConsumeCore(value, observed: true);

    /// <summary>
    /// Feeds a value that was not observed but filled in (a <see cref="TimeGrid"/> slot without a row): moves the state
    /// like <see cref="Consume(double)"/>, but the online bound calibrator does not score the forecasts against it, so
    /// the bounds are calibrated on real values only. NaN is ignored.
    /// </summary>
    public void ConsumeFilled(double value) => ConsumeCore(value, observed: false);

    private void ConsumeCore(double value, bool observed)
    {
        if (double.IsNaN(value))
        {
            return;
        }

        double x = _f.R(_log ? Options.ToModelScale(value) : value);
        int l = _s.WindowSize;
        int m = l - 1;
        var state = _s.State;
        if (_s.RecentCount == 0)
        {
            // ML.NET seeds its empty buffer with the smoothed training tail.
            foreach (double v in state)
            {
                Push(v);
            }
        }

        CopyRecent(_lag.AsSpan(0, m));
        _lag[m] = x;
        if (_s.IsTrained)
        {
            Project(_lag, _smoothed);
            // Incremental diagonal averaging: the new anti-diagonal joins (L−2−i) older estimates.
            DiagonalAverage.Update(state, _smoothed.AsSpan(1, m));
            _f.R(state.AsSpan(0, m - 1));

            _s.NextPrediction = _f.R(Bias + VectorOps.Dot(_s.Alpha, state));
        }

        Push(x);
        if (_s.Seasonal.Length != 0)
        {
            PushSeasonal(_s, x);
        }

        if (_s.OverlayRing.Length != 0)
        {
            PushOverlay(_s, x);
        }

        _s.Calibrator?.Observe(observed ? x : double.NaN);
        _s.Consumed++;
    }

    /// <summary>Forecasts <c>forecast.Length</c> steps from the current state, without consuming.</summary>
    /// <exception cref="InvalidOperationException">The length differs from the horizon and VariableHorizon is off.</exception>
    public void Forecast(Span<double> forecast) => Forecast(forecast, [], []);

    /// <summary>
    /// Forecasts <c>forecast.Length</c> steps and, if the bound spans are non-empty (same length), the lower and upper
    /// confidence bounds at <see cref="SsaForecasterOptions.ConfidenceLevel"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">The length differs from the horizon and VariableHorizon is off.</exception>
    /// <exception cref="ArgumentException">A bound span has the wrong length.</exception>
    public void Forecast(Span<double> forecast, Span<double> lower, Span<double> upper)
    {
        int h = forecast.Length;
        if (h != Options.Horizon && !Options.VariableHorizon)
        {
            throw new InvalidOperationException($"The horizon {h} differs from the trained horizon {Options.Horizon}; set VariableHorizon to forecast other horizons.");
        }

        if ((lower.Length != 0 && lower.Length != h) || (upper.Length != 0 && upper.Length != h))
        {
            throw new ArgumentException("The bound spans must be empty or as long as the forecast span.", nameof(lower));
        }

        if (h == 0)
        {
            return;
        }

        EnsureHorizon(h);
        int m = _s.WindowSize - 1;
        var run = _run.AsSpan(0, m + h);
        _s.State.CopyTo(run);
        run[m] = _s.NextPrediction;
        // run[m + i] = bias + α·run[i, m + i) for i = 1 … h − 1, several steps per sweep of α (bit for bit one Dot each).
        VectorOps.RunRecurrence(_s.Alpha, run, m + 1, Bias, _f);

        run.Slice(m, h).CopyTo(forecast);
        if (_arLags.Length != 0 && _s.SeasonalCount == _s.Seasonal.Length)
        {
            // The autoregression on its own forecasts past the newest value, blended like the other kinds.
            BlendAutoregression(forecast, _s.Seasonal, _s.SeasonalHead, _s.Autoregression, _arLags, _naiveWeights);
        }
        else if (_medianScratch.Length != 0 && _s.SeasonalCount == _s.Seasonal.Length)
        {
            // The median naive forecasts the same value for every step.
            _s.Seasonal.CopyTo(_medianScratch, 0);
            double median = MedianSelection.Median(_medianScratch);
            if (_levelShare != 0)
            {
                median = (_levelShare * Newest()) + ((1 - _levelShare) * median);
            }
            for (int i = 0; i < h; i++)
            {
                double w = _naiveWeights[Math.Min(i, _naiveWeights.Length - 1)];
                forecast[i] = ((1 - w) * forecast[i]) + (w * median);
            }
        }
        else if (_naiveWeights.Length != 0 && _s.SeasonalCount == _s.Seasonal.Length)
        {
            // The seasonal-naive value for step i+1 is the value one season before it: ring slot (oldest first) i mod s.
            var ring = _s.Seasonal;
            int season = ring.Length;
            double last = Newest();
            for (int i = 0; i < h; i++)
            {
                double w = _naiveWeights[Math.Min(i, _naiveWeights.Length - 1)];
                int slot = (_s.SeasonalHead + (i % season)) % season;
                double naive = _levelShare == 0 ? ring[slot] : (_levelShare * last) + ((1 - _levelShare) * ring[slot]);
                forecast[i] = ((1 - w) * forecast[i]) + (w * naive);
            }
        }

        if (_overlayLags.Length != 0 && _s.OverlayCount == _s.OverlayRing.Length)
        {
            // The overlay: the finished forecast (SSA or its combination) blended per step with the autoregression.
            BlendAutoregression(forecast, _s.OverlayRing, _s.OverlayHead, _s.Overlay, _overlayLags, _overlayWeights);
        }

        for (int i = 0; i < h; i++)
        {
            double margin = _z * _sd[i] * _boundScale;
            if (lower.Length != 0)
            {
                lower[i] = _f.R(forecast[i] - margin);
            }

            if (upper.Length != 0)
            {
                upper[i] = _f.R(forecast[i] + margin);
            }
        }

        if (_s.Calibrator is { } calibrator && h == Options.Horizon && lower.Length != 0 && upper.Length != 0)
        {
            // Record once per origin (the model's own bounds), then widen or narrow by the matured errors.
            if (_s.RecordedAt != _s.Consumed)
            {
                calibrator.Record(forecast, lower, upper);
                _s.RecordedAt = _s.Consumed;
            }

            calibrator.Adjust(forecast, lower, upper);
        }

        if (_log)
        {
            // Everything above (combination, bounds, recalibration) ran on the log scale; turn it back.
            for (int i = 0; i < h; i++)
            {
                forecast[i] = Options.FromModelScale(forecast[i]);
                if (lower.Length != 0)
                {
                    lower[i] = Options.FromModelScale(lower[i]);
                }

                if (upper.Length != 0)
                {
                    upper[i] = Options.FromModelScale(upper[i]);
                }
            }
        }
    }

    /// <summary>
    /// Runs the autoregression from <paramref name="ring"/> into the scratch span and blends it into each step:
    /// (1 − w) × forecast + w × autoregression, with step i's weight (the last weight for steps past the end).
    /// </summary>
    private void BlendAutoregression(Span<double> forecast, double[] ring, int head, double[] coefficients, int[] lags, double[] weights)
    {
        var own = _arRun.AsSpan(0, forecast.Length);
        RunAutoregression(ring, head, coefficients, lags, own);
        for (int i = 0; i < forecast.Length; i++)
        {
            double w = weights[Math.Min(i, weights.Length - 1)];
            forecast[i] = ((1 - w) * forecast[i]) + (w * own[i]);
        }
    }

    /// <summary>Forecast standard deviation of each step 1…h (h ≤ the largest horizon used so far).</summary>
    public ReadOnlySpan<double> StandardDeviations(int horizon)
    {
        EnsureHorizon(horizon);
        return _sd.AsSpan(0, horizon);
    }

    /// <summary>Returns an independent copy that continues identically.</summary>
    public SsaForecaster Clone()
    {
        using var stream = new MemoryStream();
        SsaCheckpoint.Save(this, stream);
        stream.Position = 0;
        return SsaCheckpoint.Load(stream);
    }

    private double Bias => Options.IncludeNoiseMeans && !_f.Enabled ? _s.Noise.AutoregressiveMean + _s.Noise.ObservationMean : 0;

    /// <summary>
    /// smoothed = Σᵢ yᵢ·uᵢ with yᵢ = uᵢ·lag over the r basis vectors: the same arithmetic as one Dot and one Axpy per
    /// vector in order, done by the blocked kernels (several basis vectors per sweep; bit for bit the same).
    /// </summary>
    private void Project(ReadOnlySpan<double> lag, Span<double> smoothed)
    {
        int rank = _s.Rank;
        var basis = _s.Basis.AsSpan(0, rank * _s.WindowSize);
        var y = _projection.AsSpan(0, rank);
        VectorOps.DotRows(basis, lag, y);
        _f.R(y);
        smoothed.Clear();
        VectorOps.AddRows(y, basis, smoothed);
        _f.R(smoothed);
    }

    private void Push(double value)
    {
        var recent = _s.Recent;
        recent[_s.RecentHead] = value;
        _s.RecentHead = _s.RecentHead + 1 == recent.Length ? 0 : _s.RecentHead + 1;
        _s.RecentCount = Math.Min(_s.RecentCount + 1, recent.Length);
    }

    private void CopyRecent(Span<double> dest)
    {
        // Oldest first, zero-padded at the front when fewer than L−1 values were seen; two block copies, no modulo.
        var recent = _s.Recent;
        int count = _s.RecentCount;
        int pad = dest.Length - count;
        dest[..pad].Clear();
        int start = _s.RecentHead - count;
        if (start >= 0)
        {
            recent.AsSpan(start, count).CopyTo(dest[pad..]);
        }
        else
        {
            int wrapped = -start;
            recent.AsSpan(recent.Length - wrapped, wrapped).CopyTo(dest[pad..]);
            recent.AsSpan(0, count - wrapped).CopyTo(dest[(pad + wrapped)..]);
        }
    }

    private void EnsureHorizon(int h)
    {
        if (_sd.Length >= h)
        {
            return;
        }

        int size = Math.Max(h, _sd.Length * 2);
        _sd = new double[size];
        _run = new double[_s.WindowSize - 1 + size];
        _arRun = new double[size];
        bool skipPsi1 = _f.Enabled;
        ForecastVariance.Compute(_s.Alpha, _s.Noise.AutoregressiveVariance, _s.Noise.ObservationVariance, skipPsi1, _sd, _f);
    }
}
