namespace MetricsPipeline.Decisions.Scaling;

/// <summary>
/// One candidate point forecast of <see cref="PredictiveScalingPolicy"/> with its own error record: either the
/// forecaster's output or a persistence forecast (Holt's linear smoothing of the load with a given factor, plus a
/// share of its rising trend). Keeps the pending forecasts until their windows have passed, the calibrated
/// errors, and the recent lead forecasts (to compare candidates by what they would provision). Not thread-safe.
/// </summary>
internal sealed partial class LoadPredictor
{
    private readonly double[] _recent;
    private readonly double[] _levels;
    private readonly WindowMean? _losses;
    private long _observed;
    private int _next;
    private int _count;
    private double _sum;

    /// <summary>Creates a candidate.</summary>
    /// <param name="smoothing">Holt smoothing factor in (0, 1] (ignored for the forecaster candidate).</param>
    /// <param name="trendWeight">Share of the rising trend extrapolated, in [0, 1].</param>
    /// <param name="usesForecaster">Whether this candidate is the forecaster's output.</param>
    /// <param name="samples">Calibration window, in evaluations.</param>
    /// <param name="seasonalPeriod">
    /// The season in evaluations (e.g. a day), or 0 for none. A seasonal candidate adds to its level the rise its own
    /// smoothed level made one season ago over the same horizon.
    /// </param>
    /// <param name="lossWindow">
    /// The scores per segment of the window <see cref="LeadLoss"/> aggregates, or 0 for an exponential mean over
    /// <paramref name="samples"/> scores.
    /// </param>
    /// <param name="lossSegments">The segments of that window (the loss is the median of their means; 1: the plain mean).</param>
    public LoadPredictor(double smoothing, double trendWeight, bool usesForecaster, int samples, int seasonalPeriod = 0, int lossWindow = 0, int lossSegments = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(seasonalPeriod);
        ArgumentOutOfRangeException.ThrowIfNegative(lossWindow);
        _losses = lossWindow > 0 ? new WindowMean(lossWindow, lossSegments) : null;
        // One season of smoothed levels plus the current one: the level one season ago is then the oldest entry.
        _levels = seasonalPeriod > 0 ? new double[seasonalPeriod + 1] : [];
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

    /// <summary>The season in evaluations, or 0 for none.</summary>
    public int SeasonalPeriod => Math.Max(0, _levels.Length - 1);

    /// <summary>The name for reasons and the command's forecast model.</summary>
    public string Name => UsesForecaster ? "forecaster"
        : SeasonalPeriod > 0 ? FormattableString.Invariant($"seasonal(α={Smoothing:0.##},period={SeasonalPeriod})")
        : FormattableString.Invariant($"holt(α={Smoothing:0.##},trend={TrendWeight:0.##})");

    private double Level { get; set; } = double.NaN;

    private double Trend { get; set; }

    /// <summary>
    /// The running mean of the quantile (pinball) loss of this candidate's calibrated lead bound: at level q, a
    /// shortfall costs q per unit and an excess 1 − q, so the candidate with the least loss is the best q-quantile
    /// forecaster — it pays for rare large misses that a comparison of bounds alone would not see. NaN before any.
    /// </summary>
    public double LeadLoss { get; private set; } = double.NaN;

    /// <summary>
    /// Adds the loss of one scored lead bound to <see cref="LeadLoss"/>: the loss window's aggregate, or
    /// without one an exponential mean over <paramref name="samples"/> scores.
    /// </summary>
    public void AddLeadLoss(double bound, double realized, double quantile, int samples)
    {
        if (!double.IsFinite(bound) || !double.IsFinite(realized))
        {
            return;
        }

        double loss = realized > bound ? quantile * (realized - bound) : (1 - quantile) * (bound - realized);
        if (_losses is not null)
        {
            _losses.Add(loss);
            LeadLoss = _losses.Mean;
            return;
        }

        LeadLoss = double.IsNaN(LeadLoss) ? loss : LeadLoss + ((loss - LeadLoss) / Math.Max(1, samples));
    }

    /// <summary>The mean of the recent lead forecasts (NaN before any).</summary>
    public double MeanLead => _count == 0 ? double.NaN : _sum / _count;

    /// <summary>Updates the smoothed level and trend with the current load.</summary>
    public void Observe(double load)
    {
        if (double.IsNaN(Level))
        {
            Level = load;
            Trend = 0;
            RememberLevel();
            return;
        }

        double level = (Smoothing * load) + ((1 - Smoothing) * (Level + Trend));
        Trend = (Smoothing * (level - Level)) + ((1 - Smoothing) * Trend);
        Level = level;
        RememberLevel();
    }

    private void RememberLevel()
    {
        if (_levels.Length > 0)
        {
            _levels[_observed % _levels.Length] = Level;
            _observed++;
        }
    }

    /// <summary>The persistence forecast <paramref name="steps"/> evaluations ahead (falls are not extrapolated: that would under-provision).</summary>
    public double Persist(double steps) => Math.Max(0, Level + (TrendWeight * Math.Max(0, Trend) * steps));

    /// <summary>
    /// The seasonal forecast of the largest load from <paramref name="fromSteps"/> to <paramref name="toSteps"/>
    /// evaluations ahead: the level plus the largest rise of the smoothed level one season ago over the same steps
    /// (a fall is not taken: the largest load of a window is at least about the level). The plain level until a whole
    /// season has been seen.
    /// </summary>
    public double Seasonal(int fromSteps, int toSteps)
    {
        int period = SeasonalPeriod;
        if (period == 0 || _observed <= period || toSteps > period)
        {
            return Math.Max(0, Level);
        }

        // The entry written `period` evaluations before the latest is the oldest in the ring.
        long then = _observed - 1 - period;
        double baseline = _levels[then % _levels.Length];
        double rise = 0;
        for (int k = Math.Max(0, fromSteps); k <= toSteps; k++)
        {
            rise = Math.Max(rise, _levels[(then + k) % _levels.Length] - baseline);
        }

        return Math.Max(0, Level + rise);
    }

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
