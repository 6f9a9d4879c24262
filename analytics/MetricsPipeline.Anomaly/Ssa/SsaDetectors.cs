using MetricsPipeline.Anomaly.Sequential;
using MetricsPipeline.Forecasting;

namespace MetricsPipeline.Anomaly.Ssa;

/// <summary>
/// Builds ML.NET's SSA spike and change-point detectors: an SSA modeler trained the way those detectors train it
/// (ML.NET float32 semantics, L = seasonalityWindowSize, series length L + 1, Exact rank selection with max rank L / 2,
/// no stabilisation, no intervals) driving a <see cref="PredictionErrorDetector"/>.
/// </summary>
public static class SsaDetectors
{
    /// <summary>The SSA modeler options ML.NET's SSA detectors use.</summary>
    public static SsaForecasterOptions ModelerOptions(SsaDetectorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var l = options.SeasonalityWindowSize;
        return new SsaForecasterOptions
        {
            WindowSize = l,
            SeriesLength = l + 1,
            TrainSize = options.TrainingWindowSize,
            Horizon = 1,
            RankSelectionMethod = RankSelectionMethod.Exact,
            MaxRank = Math.Max(1, l / 2),
            ShouldStabilize = false,
            ComputeConfidenceBounds = false,
            Compatibility = SsaCompatibility.MlNet,
            MlNetIgnoresMaxRank = false,
        };
    }

    /// <summary>
    /// ML.NET's <c>DetectSpikeBySsa</c>: trains on the first <c>TrainingWindowSize</c> non-NaN values of
    /// <paramref name="training"/> (as <c>Fit</c> does) and returns the detector, which then scores rows from row 0.
    /// Outputs [Alert, Score, P-Value].
    /// </summary>
    /// <exception cref="ArgumentException">A parameter is invalid.</exception>
    public static PredictionErrorDetector CreateSpike(SsaDetectorOptions options, ReadOnlySpan<double> training) =>
        Create(options, training, martingale: null);

    /// <summary>
    /// ML.NET's <c>DetectChangePointBySsa</c>: as <see cref="CreateSpike"/> with two-sided p-values and a sliding
    /// martingale. Outputs [Alert, Score, P-Value, Martingale].
    /// </summary>
    /// <exception cref="ArgumentException">A parameter is invalid.</exception>
    public static PredictionErrorDetector CreateChangePoint(SsaDetectorOptions options, ReadOnlySpan<double> training) =>
        Create(options, training, (options ?? throw new ArgumentNullException(nameof(options))).Martingale);

    private static PredictionErrorDetector Create(SsaDetectorOptions options, ReadOnlySpan<double> training, MartingaleType? martingale)
    {
        var model = SsaForecaster.Train(ModelerOptions(options), training);
        return new PredictionErrorDetector(new SsaPredictionSource(model), new PredictionErrorDetectorOptions
        {
            Confidence = options.Confidence,
            HistoryLength = options.HistoryLength,
            Side = options.Side,
            ErrorFunction = options.ErrorFunction,
            Martingale = martingale,
            PowerMartingaleEpsilon = options.PowerMartingaleEpsilon,
            EngineMode = options.EngineMode,
        });
    }
}
