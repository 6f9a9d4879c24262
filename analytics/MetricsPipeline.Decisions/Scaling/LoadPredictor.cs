namespace MetricsPipeline.Decisions.Scaling;

/// <summary>
/// One candidate point forecast of <see cref="PredictiveScalingPolicy"/> with its own error record: either the
/// forecaster's output or a persistence forecast (Holt's linear smoothing of the load with a given factor, plus a
/// share of its rising trend). Keeps the pending forecasts until their windows have passed, the calibrated
/// errors, and the recent lead forecasts (to compare candidates by what they would provision). Not thread-safe.
/// </summary>
internal sealed class LoadPredictor
{
    private readonly double[] _recent;
    private int _next;
    private int _count;
    private double _sum;

    /// <summary>Creates a candidate.</summary>
    /// <param name="smoothing">Holt smoothing factor in (0, 1] (ignored for the forecaster candidate).</param>
    /// <param name="trendWeight">Share of the rising trend extrapolated, in [0, 1].</param>
    /// <param name="usesForecaster">Whether this candidate is the forecaster's output.</param>
    /// <param name="samples">Calibration window, in evaluations.</param>
    public LoadPredictor(double smoothing, double trendWeight, bool usesForecaster, int samples)
    {
        Smoothing = smoothing;
        TrendWeight = trendWeight;
        UsesForecaster = usesForecaster;
        LeadErrors = new ForecastErrorCalibrator(samples);
        HoldErrors = new ForecastErrorCalibrator(samples);
        _recent = new double[Math.Max(1, samples)];
    }

    /// <summary>Holt smoothing factor of level and trend.</summary>
    public double Smoothing { get; }

    /// <summary>Share of the rising trend extrapolated.</summary>
    public double TrendWeight { get; }

    /// <summary>Whether this candidate is the forecaster's output.</summary>
    public bool UsesForecaster { get; }

    /// <summary>Realised over forecast maximum of the lead window.</summary>
    public ForecastErrorCalibrator LeadErrors { get; }

    /// <summary>Realised over forecast maximum of the hold window.</summary>
    public ForecastErrorCalibrator HoldErrors { get; }

    /// <summary>Forecasts whose windows have not passed yet, oldest first.</summary>
    public Queue<(double Lead, double Hold)> Pending { get; } = new();

    /// <summary>The lead-window forecast of the latest evaluation.</summary>
    public double LastLead { get; private set; }

    /// <summary>The hold-window forecast of the latest evaluation.</summary>
    public double LastHold { get; private set; }

    /// <summary>The name for reasons and the command's forecast model.</summary>
    public string Name => UsesForecaster ? "forecaster" : FormattableString.Invariant($"holt(α={Smoothing:0.##},trend={TrendWeight:0.##})");

    private double Level { get; set; } = double.NaN;

    private double Trend { get; set; }

    /// <summary>The mean of the recent lead forecasts (NaN before any).</summary>
    public double MeanLead => _count == 0 ? double.NaN : _sum / _count;

    /// <summary>Updates the smoothed level and trend with the current load.</summary>
    public void Observe(double load)
    {
        if (double.IsNaN(Level))
        {
            Level = load;
            Trend = 0;
            return;
        }

        double level = (Smoothing * load) + ((1 - Smoothing) * (Level + Trend));
        Trend = (Smoothing * (level - Level)) + ((1 - Smoothing) * Trend);
        Level = level;
    }

    /// <summary>The persistence forecast <paramref name="steps"/> evaluations ahead (falls are not extrapolated: that would under-provision).</summary>
    public double Persist(double steps) => Math.Max(0, Level + (TrendWeight * Math.Max(0, Trend) * steps));

    /// <summary>Remembers this evaluation's forecasts.</summary>
    public void Record(double lead, double hold)
    {
        Pending.Enqueue((lead, hold));
        (LastLead, LastHold) = (lead, hold);
        if (_count == _recent.Length)
        {
            _sum -= _recent[_next];
        }
        else
        {
            _count++;
        }

        _recent[_next] = lead;
        _sum += lead;
        _next = (_next + 1) % _recent.Length;
    }
}
