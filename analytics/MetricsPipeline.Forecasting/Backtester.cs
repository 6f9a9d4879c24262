namespace MetricsPipeline.Forecasting;

/// <summary>
/// Rolling-origin evaluation: train on the first <c>TrainSize</c> rows, then at every origin consume the next row and
/// forecast the horizon, exactly as the forecaster runs online; compare with seasonal-naive and naive baselines. On a
/// <see cref="TimeGrid"/> (the <c>real</c> mask of <see cref="Run"/>) the rows are the grid's slots, and only real slots
/// are origins and scored targets.
/// </summary>
public static class Backtester
{
    /// <summary>Runs the backtest of <paramref name="options"/> on <paramref name="series"/>.</summary>
    /// <param name="series">The full series; rows after <c>TrainSize</c> are the test period.</param>
    /// <param name="options">SSA options; <c>Horizon</c> is the evaluated horizon.</param>
    /// <param name="season">Season for the seasonal-naive baseline and the MASE scale; ≤ 1 means naive (1).</param>
    /// <param name="stride">Forecast every <paramref name="stride"/>-th origin (all rows are still consumed). The default is 1.</param>
    /// <param name="progress">Optional progress in [0, 1].</param>
    /// <param name="recalibrationWindow">
    /// When positive, the bounds are recalibrated online by an <see cref="OnlineBoundCalibrator"/> over that many matured
    /// errors per step (only actuals up to the origin are used). The default 0 evaluates the model's own bounds.
    /// </param>
    /// <param name="real">
    /// Empty (the default): every row is an observation, as the rows of a CSV. Otherwise one flag per element of
    /// <paramref name="series"/>, which is then a <see cref="TimeGrid"/>'s slot values: forecasts are made only at real
    /// slots (origins), scored only at real slots (targets), the naive forecast is the last real value, the MASE scale
    /// and the two-sided reference use pairs of real slots only, and filled slots are fed to the model with
    /// <see cref="SsaForecaster.ConsumeFilled"/>. The seasonal-naive baseline reads the filled grid (a value at or before
    /// the origin). <c>TrainSize</c> and <paramref name="stride"/> then count slots and real origins.
    /// </param>
    /// <exception cref="ArgumentException">Options invalid, no test rows, or <paramref name="real"/> has the wrong length.</exception>
    public static BacktestReport Run(ReadOnlySpan<double> series, SsaForecasterOptions options, int season, int stride = 1, IProgress<double>? progress = null, int recalibrationWindow = 0, ReadOnlySpan<bool> real = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        int h = options.Horizon;
        int train = options.TrainSize;
        int s = Math.Max(1, season);
        if (series.Length <= train)
        {
            throw new ArgumentException($"The series has {series.Length} rows; a backtest needs rows after the {train} training rows.", nameof(series));
        }

        bool gridded = !real.IsEmpty;
        if (gridded && real.Length != series.Length)
        {
            throw new ArgumentException($"{real.Length} real-slot flags for {series.Length} slots.", nameof(real));
        }

        // On a grid the scores may use real slots only: the filled ones are interpolations between them.
        double[]? masked = gridded ? TimeGrid.Mask(series, real) : null;
        ReadOnlySpan<double> observed = gridded ? masked : series;
        var model = SsaForecaster.Train(options, series);
        var calibrator = recalibrationWindow > 0 ? new OnlineBoundCalibrator(h, options.ConfidenceLevel, recalibrationWindow) : null;
        double scale = SeasonalScale(observed[..train], s);
        var acc = new StepAccumulator[h];
        var f = new double[h];
        var lo = new double[h];
        var up = new double[h];
        int origins = 0;
        var ratios = new List<double>();
        var stepRatios = new List<double>[h];
        for (int i = 0; i < h; i++)
        {
            stepRatios[i] = [];
        }

        int total = series.Length - train;
        // The naive forecast is the last value actually observed: a gap at the origin does not make it missing.
        double last = double.NaN;
        for (int k = train - 1; k >= 0 && !double.IsFinite(last); k--)
        {
            last = observed[k];
        }

        int candidates = 0;
        for (int o = train - 1; o < series.Length - 1; o++)
        {
            bool isReal = !gridded || real[o];
            if (o >= train)
            {
                if (isReal)
                {
                    model.Consume(series[o]);
                }
                else
                {
                    model.ConsumeFilled(series[o]);
                }

                calibrator?.Observe(observed[o]);
                if (double.IsFinite(observed[o]))
                {
                    last = observed[o];
                }
            }

            // On a grid an origin is a real slot: at a filled slot the interpolation used the next real row.
            if (!isReal || candidates++ % Math.Max(1, stride) != 0)
            {
                continue;
            }

            model.Forecast(f, lo, up);
            if (calibrator is not null)
            {
                calibrator.Record(f, lo, up);
                calibrator.Adjust(f, lo, up);
            }
            origins++;
            for (int i = 0; i < h && o + 1 + i < series.Length; i++)
            {
                double actual = observed[o + 1 + i];
                if (!double.IsFinite(actual))
                {
                    continue;
                }

                int back = o + 1 + i - (s * (((i + 1) + s - 1) / s));
                double seasonal = back >= 0 ? series[back] : double.NaN;
                acc[i].Add(actual, f[i], lo[i], up[i], seasonal, last);
                // The bound calibration compares the error with the bound's half-width on the model's scale (the log
                // transform's bounds are asymmetric on the data's scale; unchanged without it).
                double halfWidth = (options.ToModelScale(up[i]) - options.ToModelScale(lo[i])) / 2;
                if (halfWidth > 0)
                {
                    double ratio = Math.Abs(options.ToModelScale(actual) - options.ToModelScale(f[i])) / halfWidth;
                    ratios.Add(ratio);
                    stepRatios[i].Add(ratio);
                }
            }

            if (progress is not null && origins % 256 == 0)
            {
                progress.Report((double)(o - train + 1) / total);
            }
        }

        var steps = new BacktestStep[h];
        for (int i = 0; i < h; i++)
        {
            var (twoSided, span) = TwoSidedReference.Compute(observed, train + i, i + 1, scale);
            steps[i] = acc[i].ToStep(i + 1, scale) with { BoundCalibration = Quantile(stepRatios[i], options.ConfidenceLevel), TwoSidedMase = twoSided, TwoSidedSpan = span };
        }

        progress?.Report(1);
        return new BacktestReport(s, h, train, origins, model.WindowSize, model.Rank, steps, Quantile(ratios, options.ConfidenceLevel));
    }

    private static double Quantile(List<double> values, double level)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        values.Sort();
        int index = Math.Clamp((int)Math.Ceiling(level * values.Count) - 1, 0, values.Count - 1);
        return values[index];
    }

    /// <summary>
    /// In-sample MAE of the seasonal-naive forecast (period <paramref name="season"/>) on <paramref name="train"/>; 1
    /// when it is zero or only rounding (below 1e-12 of the values' mean magnitude: a series that repeats its season
    /// exactly), so the MASE of such a series is its MAE instead of an error divided by rounding noise.
    /// </summary>
    public static double SeasonalScale(ReadOnlySpan<double> train, int season)
    {
        double sum = 0;
        double magnitude = 0;
        int count = 0;
        for (int i = season; i < train.Length; i++)
        {
            double d = train[i] - train[i - season];
            if (double.IsFinite(d))
            {
                sum += Math.Abs(d);
                magnitude += Math.Abs(train[i]) + Math.Abs(train[i - season]);
                count++;
            }
        }

        return count == 0 || sum <= 1e-12 * magnitude / 2 ? 1 : sum / count;
    }
}
