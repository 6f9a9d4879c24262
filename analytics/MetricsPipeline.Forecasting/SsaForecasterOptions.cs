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
    /// <see cref="SsaCompatibility.MlNet"/> mode, as ML.NET's forecaster ignores it.
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
    public int EffectiveMaxRank => Compatibility == SsaCompatibility.MlNet || MaxRank is null ? WindowSize - 1 : MaxRank.Value;

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
