using MetricsPipeline.Host.Commands;

namespace MetricsPipeline.Host.Forecasting;

/// <summary>
/// Says an <see cref="MetricsPipeline.Forecasting.SsaForecasterOptions"/> validation error in the words of
/// <c>forecast</c>/<c>backtest</c>: the option the user typed (<c>--window-size</c>), not the property or ML.NET's
/// parameter name (<c>WindowSize</c>, <c>windowSize</c>), which follows in brackets for those who know ML.NET.
/// </summary>
internal static class SsaOptionNames
{
    // Property (the ArgumentException's ParamName) → (CLI option, ML.NET's ForecastBySsa parameter).
    private static readonly Dictionary<string, (string Option, string MlNet)> Names = new(StringComparer.Ordinal)
    {
        ["WindowSize"] = ("--window-size", "windowSize"),
        ["SeriesLength"] = ("--series-length", "seriesLength"),
        ["TrainSize"] = ("--train-size", "trainSize"),
        ["Horizon"] = ("--horizon", "horizon"),
        ["ConfidenceLevel"] = ("--confidence-level", "confidenceLevel"),
        ["RankSelectionMethod"] = ("--rank-selection", "rankSelectionMethod"),
        ["Rank"] = ("--rank", "rank"),
        ["MaxRank"] = ("--max-rank", "maxRank"),
        ["MaxGrowth"] = ("--max-growth", "maxGrowth"),
    };

    /// <summary>
    /// The exception with its message restated for the command line when it names an SSA parameter the user sets by
    /// an option; any other exception unchanged.
    /// </summary>
    public static ArgumentException ForCli(ArgumentException ex)
    {
        ArgumentNullException.ThrowIfNull(ex);
        if (ex.ParamName is not { } name || !Names.TryGetValue(name, out var names))
        {
            return ex;
        }

        var text = CliErrorText.Of(ex);
        foreach (var (_, (option, mlNet)) in Names)
        {
            // "[1, windowSize)" in a message reads "[1, --window-size)"; one-word names (rank) are plain words there.
            if (mlNet.Any(char.IsUpper))
            {
                text = text.Replace(mlNet, option, StringComparison.Ordinal);
            }
        }

        return new ArgumentException($"{names.Option}: {text} [ML.NET: {names.MlNet}]", ex);
    }
}
