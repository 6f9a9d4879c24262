using MetricsPipeline.Forecasting;

namespace MetricsPipeline.Decisions.Scaling;

/// <summary>
/// The recent ratios realised ÷ forecast of one forecast kind, and their empirical quantiles: the headroom a forecast
/// needs so that the realised value stays below forecast × quantile that often. Fixed memory (a ring), no allocation
/// per sample. Not thread-safe.
/// </summary>
internal sealed partial class ForecastErrorCalibrator(int capacity)
{
    private readonly double[] _ratios = new double[Math.Max(1, capacity)];
    private readonly double[] _scratch = new double[Math.Max(1, capacity)];
    private int _next;
    private int _sinceQuantile = int.MaxValue;
    private double _quantileLevel = double.NaN;
    private double _quantile = double.NaN;

    /// <summary>How many ratios are held at most.</summary>
    public int Capacity => _ratios.Length;

    /// <summary>How many ratios are held (at most the capacity).</summary>
    public int Count { get; private set; }

    /// <summary>Records that <paramref name="realized"/> happened where <paramref name="forecast"/> was predicted; ignored unless both are finite and the forecast positive.</summary>
    public void Add(double forecast, double realized)
    {
        if (!(forecast > 0) || !double.IsFinite(forecast) || !double.IsFinite(realized) || realized < 0)
        {
            return;
        }

        _ratios[_next] = realized / forecast;
        _next = (_next + 1) % _ratios.Length;
        Count = Math.Min(Count + 1, _ratios.Length);
        if (_sinceQuantile < int.MaxValue)
        {
            _sinceQuantile++;
        }
    }

    /// <summary>
    /// The <paramref name="q"/>-quantile of the held ratios (the nearest rank at or above it), or NaN when none are
    /// held. Recomputed after every <see cref="RefreshEvery"/> new ratios only: a quantile of a day's errors moves
    /// slowly, and selecting it every evaluation for every candidate predictor would dominate the policy's cost.
    /// </summary>
    public double Quantile(double q)
    {
        if (Count == 0)
        {
            return double.NaN;
        }

        if (_sinceQuantile >= RefreshEvery || q != _quantileLevel)
        {
            _quantile = ExactQuantile(q);
            _quantileLevel = q;
            _sinceQuantile = 0;
        }

        return _quantile;
    }

    /// <summary>
    /// The <paramref name="q"/>-quantile of the held ratios computed now (no cache, and the cache of
    /// <see cref="Quantile"/> is left alone), or NaN when none are held: for a level that changes every call.
    /// </summary>
    public double ExactQuantile(double q)
    {
        if (Count == 0)
        {
            return double.NaN;
        }

        Array.Copy(_ratios, _scratch, Count);
        int k = Math.Clamp((int)Math.Ceiling((q * Count) - 1e-9) - 1, 0, Count - 1);
        return MedianSelection.Select(_scratch.AsSpan(0, Count), k);
    }

    /// <summary>How many new ratios make <see cref="Quantile"/> recompute.</summary>
    public const int RefreshEvery = 10;
}
