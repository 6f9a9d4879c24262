namespace MetricsPipeline.Forecasting;

/// <summary>Running error sums for one horizon step of a backtest.</summary>
internal struct StepAccumulator
{
    private int _count;
    private int _covered;
    private double _absError;
    private double _smape;
    private int _seasonalCount;
    private double _seasonalAbs;
    private double _seasonalSmape;
    private int _naiveCount;
    private double _naiveAbs;
    private double _naiveSmape;

    /// <summary>Adds one actual with the SSA forecast/bounds and the two baseline forecasts.</summary>
    public void Add(double actual, double forecast, double lower, double upper, double seasonal, double naive)
    {
        _count++;
        _absError += Math.Abs(actual - forecast);
        _smape += Smape(actual, forecast);
        if (actual >= lower && actual <= upper)
        {
            _covered++;
        }

        if (double.IsFinite(naive))
        {
            _naiveCount++;
            _naiveAbs += Math.Abs(actual - naive);
            _naiveSmape += Smape(actual, naive);
        }

        if (double.IsFinite(seasonal))
        {
            _seasonalCount++;
            _seasonalAbs += Math.Abs(actual - seasonal);
            _seasonalSmape += Smape(actual, seasonal);
        }
    }

    /// <summary>
    /// Summarises into a step report with MASE scale <paramref name="scale"/>. An error without a single forecast to score
    /// (a step beyond the test rows, a season longer than the series) is NaN, not 0: 0 read as a perfect forecast.
    /// </summary>
    public readonly BacktestStep ToStep(int step, double scale)
    {
        double n = _count > 0 ? _count : double.NaN;
        double sn = _seasonalCount > 0 ? _seasonalCount : double.NaN;
        double nn = _naiveCount > 0 ? _naiveCount : double.NaN;
        return new BacktestStep(step, _count, _absError / n / scale, _smape / n, _covered / n, _seasonalAbs / sn / scale, _seasonalSmape / sn, _naiveAbs / nn / scale, _naiveSmape / nn);
    }

    private static double Smape(double actual, double forecast)
    {
        double denominator = Math.Abs(actual) + Math.Abs(forecast);
        return denominator == 0 ? 0 : 200 * Math.Abs(actual - forecast) / denominator;
    }
}
