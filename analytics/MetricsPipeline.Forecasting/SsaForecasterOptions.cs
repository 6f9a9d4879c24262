namespace MetricsPipeline.Forecasting;

/// <summary>
/// Parameters of the SSA forecaster, named after ML.NET's <c>ForecastBySsa</c>. Validate with <see cref="Validate"/>;
/// the messages follow ML.NET's argument checks.
/// </summary>
public sealed class SsaForecasterOptions
{
    /// <summary>SSA window length L (the number of lags in the trajectory matrix). Required; at least 2.</summary>
    public int WindowSize { get; set; }

    /// <summary>Length of the buffer of consumed observations; must exceed <see cref="WindowSize"/>. Required.</summary>
    public int SeriesLength { get; set; }

    /// <summary>Number of leading rows used for training; must exceed 2 × <see cref="WindowSize"/>. Required.</summary>
    public int TrainSize { get; set; }

    /// <summary>Number of steps forecast after each consumed point; at least 1. The default is 1.</summary>
    public int Horizon { get; set; } = 1;

    /// <summary>Confidence level of the forecast bounds, in [0, 1). The default is 0.95.</summary>
    public float ConfidenceLevel { get; set; } = 0.95f;

    /// <summary>Rank selection method. The default is <see cref="Forecasting.RankSelectionMethod.Exact"/>.</summary>
    public RankSelectionMethod RankSelectionMethod { get; set; } = RankSelectionMethod.Exact;

    /// <summary>Signal rank, used only with <see cref="Forecasting.RankSelectionMethod.Fixed"/>; in [1, maxRank]. The default (null) is the maximum rank.</summary>
    public int? Rank { get; set; }

    /// <summary>
    /// Upper bound on the rank, in [1, WindowSize). The default (null) is WindowSize − 1. Ignored in
    /// <see cref="SsaCompatibility.MlNet"/> mode unless <see cref="MlNetIgnoresMaxRank"/> is false, as ML.NET's forecaster ignores it.
    /// </summary>
    public int? MaxRank { get; set; }

    /// <summary>Whether the recurrence is stabilised so forecasts cannot grow exponentially. The default is true.</summary>
    public bool ShouldStabilize { get; set; } = true;

    /// <summary>Optional bound on trend growth used by stabilisation. The default (null) is unbounded.</summary>
    public GrowthRatio? MaxGrowth { get; set; }

    /// <summary>Whether a forecast may use a horizon other than <see cref="Horizon"/>. The default is false.</summary>
    public bool VariableHorizon { get; set; }

    /// <summary>
    /// ML.NET's <c>IsAdaptive</c>. Accepted and stored; like ML.NET, the model is not re-trained on Consume (only the
    /// state moves). The default is false.
    /// </summary>
    public bool IsAdaptive { get; set; }

    /// <summary>Whether lower/upper confidence bounds are computed. The default is true.</summary>
    public bool ComputeConfidenceBounds { get; set; } = true;

    /// <summary>
    /// Whether forecasts add the training noise means (ML.NET computes them, then forces them to zero). Ignored in
    /// <see cref="SsaCompatibility.MlNet"/> mode. The default is false.
    /// </summary>
    public bool IncludeNoiseMeans { get; set; }

    /// <summary>
    /// Multiplier on the forecast standard deviation when forming the bounds. The auto tuner calibrates it on the
    /// training rows so the empirical coverage matches <see cref="ConfidenceLevel"/>; ignored in
    /// <see cref="SsaCompatibility.MlNet"/> mode. The default is 1.
    /// </summary>
    public double BoundScale { get; set; } = 1.0;

    /// <summary>
    /// Weight w in [0, 1] of the seasonal-naive forecast in a forecast combination: each step's forecast is
    /// (1 − w) × SSA + w × the last value one <see cref="NaiveSeason"/> back (the bounds keep SSA's width, centred on
    /// the combination). Why: on series whose structure changes after training, SSA's recurrence extrapolates a
    /// pattern that no longer holds, and the auto tuner picks w on the training rows (rolling validation) where a blend
    /// scores lower. Ignored in <see cref="SsaCompatibility.MlNet"/> mode. The default is 0 (pure SSA).
    /// </summary>
    public double NaiveWeight { get; set; }

    /// <summary>
    /// Per-step weights of the naive forecast (step 1 first; steps past the end use the last weight), each in [0, 1];
    /// when set, they replace <see cref="NaiveWeight"/>. Why: the naive forecast is strongest at short steps and SSA's
    /// recurrence at long ones, so one weight for all steps under-uses both (the tuner chooses a weight per step on the
    /// training rows). The default (null) uses <see cref="NaiveWeight"/> for every step.
    /// </summary>
    public IReadOnlyList<double>? NaiveStepWeights { get; set; }

    /// <summary>
    /// Period of the naive forecast combined by <see cref="NaiveWeight"/>: 1 is the last value (a level forecast), s is
    /// the value one season back. Ignored when <see cref="NaiveWeight"/> is 0 or <see cref="NaiveMedianLength"/> is set.
    /// The default is 1.
    /// </summary>
    public int NaiveSeason { get; set; } = 1;

    /// <summary>
    /// When positive, the naive forecast of the combination is the median of the last k consumed values (k = this
    /// length) instead of the value one <see cref="NaiveSeason"/> back, blended with the same weights
    /// (<see cref="NaiveWeight"/>, <see cref="NaiveStepWeights"/>) and the same for every step. Why: on spiky series
    /// (ad-exchange prices, traffic speed) the mean absolute error is minimised by a median, and the last value is a
    /// poor estimate of it; the auto tuner picks k on the training rows. NaN values are skipped, as in the seasonal
    /// ring. Ignored in <see cref="SsaCompatibility.MlNet"/> mode. The default is 0 (off).
    /// </summary>
    public int NaiveMedianLength { get; set; }

    /// <summary>
    /// Share of the last value inside the naive forecast of the combination: the naive part becomes
    /// share × last value + (1 − share) × (the seasonal-naive value, or the median of <see cref="NaiveMedianLength"/>).
    /// Why: on hourly ad-exchange prices, which move almost like a random walk, half the last value and half a median of
    /// recent values forecasts the next hours better than either alone; the auto tuner tries 0.5 with the median kinds
    /// on the training rows (with a seasonal naive the option works too, but the tuner does not propose it). The last
    /// value is the ring's newest entry, so no extra state is kept. Ignored when the naive part is the level itself
    /// (<see cref="NaiveSeason"/> 1 without a median) and in <see cref="SsaCompatibility.MlNet"/> mode. The default is
    /// 0 (off).
    /// </summary>
    public double NaiveLevelShare { get; set; }

    /// <summary>
    /// When true, the naive forecast of the combination is an autoregression fitted by least squares on the training
    /// values (on the model's scale, with an intercept) instead of a naive value: lags 1, 2 and 3 and, when
    /// <see cref="NaiveSeason"/> s is above 1, lags s − 1, s and s + 1 (<see cref="AutoregressiveLags"/>). Later steps
    /// feed the autoregression its own earlier forecasts. The coefficients are fitted once, in training, and kept in the
    /// checkpoint; the ring holds the last (largest lag) values. Why: on hourly ad-exchange prices the next hour is
    /// roughly the last hour moved by how the same hour changed yesterday, which neither SSA's recurrence (fitted to the
    /// trajectory's leading eigenvectors, not to the one-step error) nor a naive value expresses; the auto tuner offers
    /// it as one more naive kind and keeps it only where the training rows prefer it. Excludes
    /// <see cref="NaiveMedianLength"/> and <see cref="NaiveLevelShare"/>. Ignored in <see cref="SsaCompatibility.MlNet"/>
    /// mode. The default is false.
    /// </summary>
    public bool NaiveAutoregressive { get; set; }

    /// <summary>The lags of the autoregressive naive forecast for <see cref="NaiveSeason"/> (see <see cref="NaiveAutoregressive"/>).</summary>
    public int[] AutoregressiveLags => LagsFor(NaiveSeason);

    /// <summary>
    /// Per-step weights v (step 1 first; steps past the end use the last) of an autoregression laid over the finished
    /// forecast: each step becomes (1 − v) × (SSA or its combination) + v × the autoregression on
    /// <see cref="AutoregressiveOverlayLags"/>, fitted and run as <see cref="NaiveAutoregressive"/>'s, with a ring of
    /// its own. Why: the combination has one naive kind for every step, and on hourly ad-exchange prices the seasonal
    /// naive serves the later steps best while the autoregression serves the first ones; the auto tuner adds the overlay
    /// last, per step, when the training rows prefer it. Not with <see cref="NaiveAutoregressive"/> (the combination is
    /// the autoregression already). Ignored in <see cref="SsaCompatibility.MlNet"/> mode. The default (null) is off.
    /// </summary>
    public IReadOnlyList<double>? AutoregressiveOverlayWeights { get; set; }

    /// <summary>The season s of the overlay's lags (1: lags 1–3 only); see <see cref="AutoregressiveOverlayWeights"/>. The default is 1.</summary>
    public int AutoregressiveOverlaySeason { get; set; } = 1;

    /// <summary>The lags of the autoregressive overlay (see <see cref="AutoregressiveOverlayWeights"/>).</summary>
    public int[] AutoregressiveOverlayLags => LagsFor(AutoregressiveOverlaySeason);

    /// <summary>Whether the autoregressive overlay is in effect (some weight positive, in the default mode).</summary>
    public bool HasAutoregressiveOverlay => Compatibility == SsaCompatibility.Default && (AutoregressiveOverlayWeights?.Any(w => w > 0) ?? false);

    /// <summary>Lags 1, 2, 3 and, for a season s above 4, s − 1, s and s + 1.</summary>
    internal static int[] LagsFor(int season) => season > 4 ? [1, 2, 3, season - 1, season, season + 1] : [1, 2, 3];

    /// <summary>
    /// When set (a positive offset c), the model works on y = ln(x + c) instead of x: it trains on, consumes and
    /// forecasts y (forecast combination, bounds and online recalibration included), and every forecast and bound is
    /// turned back with x = e^y − c. A value below 0 counts as 0 (y = ln c). Why: on spiky positive series (ad-exchange
    /// prices, travel times) the noise grows with the level and the spikes go up; on the log scale it is closer to
    /// additive and symmetric, and e^y of a forecast of y is a median-like forecast of x, which lowers the mean
    /// absolute error (the bounds become asymmetric, wider above). The auto tuner tries it on strictly positive
    /// training series with c = 1 % of their median and keeps it only if it scores lower on the original scale.
    /// Ignored in <see cref="SsaCompatibility.MlNet"/> mode. The default (null) is off.
    /// </summary>
    public double? LogOffset { get; set; }

    /// <summary>Whether the log transform (<see cref="LogOffset"/>) is in effect: set, in the default mode.</summary>
    public bool IsLogTransformed => LogOffset is not null && Compatibility == SsaCompatibility.Default;

    /// <summary>
    /// Maps a value to the model's scale: ln(max(x, 0) + c) with the log transform (<see cref="LogOffset"/>), else x
    /// unchanged. NaN stays NaN.
    /// </summary>
    public double ToModelScale(double value) =>
        IsLogTransformed && !double.IsNaN(value) ? Math.Log(Math.Max(value, 0) + LogOffset!.Value) : value;

    /// <summary>The inverse of <see cref="ToModelScale"/>: e^y − c with the log transform, else y unchanged.</summary>
    public double FromModelScale(double value) =>
        IsLogTransformed ? Math.Exp(Math.Min(value, 700)) - LogOffset!.Value : value;

    /// <summary>
    /// When positive, the bounds are recalibrated online by an <see cref="OnlineBoundCalibrator"/> over that many matured
    /// errors per horizon step (only errors of forecasts whose actuals were consumed). Needs a forecast with bounds at
    /// each origin to learn from; checkpointed with the model. Ignored in <see cref="SsaCompatibility.MlNet"/> mode.
    /// The default is 0 (the model's own bounds); the CLI, the stream and the retraining job use
    /// <see cref="DefaultRecalibrationWindow"/>.
    /// </summary>
    public int RecalibrationWindow { get; set; }

    /// <summary>The recalibration window the default mode of the CLI, the stream and the retraining job use: 200.</summary>
    public const int DefaultRecalibrationWindow = 200;

    /// <summary>Numerical semantics. The default is <see cref="SsaCompatibility.Default"/>.</summary>
    public SsaCompatibility Compatibility { get; set; } = SsaCompatibility.Default;

    /// <summary>Throws <see cref="ArgumentException"/> with a clear message if a parameter is out of range.</summary>
    /// <exception cref="ArgumentException">A parameter is invalid.</exception>
    public void Validate()
    {
        Check(WindowSize >= 2, nameof(WindowSize), $"The window size should be at least 2 (got {WindowSize}).");
        Check(SeriesLength > WindowSize, nameof(SeriesLength), $"The series length should be greater than the window size (got {SeriesLength} <= {WindowSize}).");
        Check(TrainSize > 2 * WindowSize, nameof(TrainSize), $"The train size should be greater than 2 * window size (got {TrainSize} <= 2 * {WindowSize}).");
        Check(Horizon >= 1, nameof(Horizon), $"The horizon should be positive (got {Horizon}).");
        Check(ConfidenceLevel >= 0 && ConfidenceLevel < 1, nameof(ConfidenceLevel), $"The confidence level should be in [0, 1) (got {ConfidenceLevel}).");
        Check(Enum.IsDefined(RankSelectionMethod), nameof(RankSelectionMethod), $"Unknown rank selection method {RankSelectionMethod}.");
        Check(Enum.IsDefined(Compatibility), nameof(Compatibility), $"Unknown compatibility mode {Compatibility}.");
        Check(BoundScale > 0 && double.IsFinite(BoundScale), nameof(BoundScale), $"The bound scale should be positive and finite (got {BoundScale}).");
        Check(NaiveWeight >= 0 && NaiveWeight <= 1, nameof(NaiveWeight), $"The naive weight should be in [0, 1] (got {NaiveWeight}).");
        Check(NaiveStepWeights is null || (NaiveStepWeights.Count >= 1 && NaiveStepWeights.All(w => w >= 0 && w <= 1)), nameof(NaiveStepWeights), "The naive step weights should be a non-empty list of values in [0, 1].");
        Check(NaiveSeason >= 1, nameof(NaiveSeason), $"The naive season should be at least 1 (got {NaiveSeason}).");
        Check(NaiveLevelShare >= 0 && NaiveLevelShare <= 1, nameof(NaiveLevelShare), $"The naive level share should be in [0, 1] (got {NaiveLevelShare}).");
        Check(NaiveMedianLength >= 0 && NaiveMedianLength <= 1 << 16, nameof(NaiveMedianLength), $"The naive median length should be in [0, 65536] (got {NaiveMedianLength}).");
        Check(!NaiveAutoregressive || (NaiveMedianLength == 0 && NaiveLevelShare == 0), nameof(NaiveAutoregressive), "The autoregressive naive forecast excludes a naive median length and a naive level share.");
        Check(AutoregressiveOverlayWeights is null || (AutoregressiveOverlayWeights.Count >= 1 && AutoregressiveOverlayWeights.All(w => w >= 0 && w <= 1)), nameof(AutoregressiveOverlayWeights), "The autoregressive overlay weights should be a non-empty list of values in [0, 1].");
        Check(AutoregressiveOverlaySeason >= 1, nameof(AutoregressiveOverlaySeason), $"The autoregressive overlay season should be at least 1 (got {AutoregressiveOverlaySeason}).");
        Check(AutoregressiveOverlayWeights is null || !NaiveAutoregressive, nameof(AutoregressiveOverlayWeights), "The autoregressive overlay excludes the autoregressive naive forecast (the combination is the autoregression already).");
        Check(LogOffset is null || (LogOffset > 0 && double.IsFinite(LogOffset.Value)), nameof(LogOffset), $"The log offset should be positive and finite (got {LogOffset}).");
        Check(RecalibrationWindow >= 0, nameof(RecalibrationWindow), $"The recalibration window should not be negative (got {RecalibrationWindow}).");
        if (MaxRank is { } maxRank)
        {
            Check(maxRank >= 1 && maxRank < WindowSize, nameof(MaxRank), $"The max rank should be in [1, windowSize) = [1, {WindowSize}) (got {maxRank}).");
        }

        if (Rank is { } rank)
        {
            int limit = EffectiveMaxRank;
            Check(rank >= 1 && rank <= limit, nameof(Rank), $"The rank should be in [1, {limit}] (got {rank}).");
        }

        if (MaxGrowth is { } growth)
        {
            Check(growth.TimeSpan >= 1, nameof(MaxGrowth), $"The time span of the growth ratio should be at least 1 (got {growth.TimeSpan}).");
            Check(growth.Growth >= 0, nameof(MaxGrowth), $"The growth of the growth ratio should be non-negative (got {growth.Growth}).");
        }
    }

    /// <summary>The maximum rank the modeler uses: WindowSize − 1 in MlNet mode or when unset, else <see cref="MaxRank"/>.</summary>
    public int EffectiveMaxRank => (Compatibility == SsaCompatibility.MlNet && MlNetIgnoresMaxRank) || MaxRank is null ? WindowSize - 1 : MaxRank.Value;

    /// <summary>
    /// In <see cref="SsaCompatibility.MlNet"/> mode, whether <see cref="MaxRank"/> is ignored, as ML.NET's forecaster
    /// does (its options never reach the modeler). Set false to model ML.NET's SSA spike/change-point detectors, which
    /// pass maxRank = windowSize / 2 (with ShouldStabilize and ComputeConfidenceBounds off). The default is true.
    /// </summary>
    public bool MlNetIgnoresMaxRank { get; set; } = true;

    /// <summary>Whether a forecast combination is in effect (some naive weight is positive, in the default mode).</summary>
    public bool HasCombination => Compatibility == SsaCompatibility.Default && (NaiveStepWeights?.Any(w => w > 0) ?? NaiveWeight > 0);

    /// <summary>Returns a shallow copy.</summary>
    public SsaForecasterOptions Clone() => (SsaForecasterOptions)MemberwiseClone();

    private static void Check(bool condition, string name, string message)
    {
        if (!condition)
        {
            throw new ArgumentException(message, name);
        }
    }
}
