namespace MetricsPipeline.Forecasting;

/// <summary>How the SSA modeler chooses the signal rank (ML.NET's <c>RankSelectionMethod</c>).</summary>
public enum RankSelectionMethod
{
    /// <summary>Rank is the supplied <see cref="SsaForecasterOptions.Rank"/> (or the maximum rank).</summary>
    Fixed = 0,

    /// <summary>Rank minimising the free-run error over the training tail, with full reconstructions (the default).</summary>
    Exact = 1,

    /// <summary>Like <see cref="Exact"/>, but only the seed window and the tail are reconstructed.</summary>
    Fast = 2,
}
