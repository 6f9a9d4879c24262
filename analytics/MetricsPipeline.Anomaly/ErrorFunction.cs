namespace MetricsPipeline.Anomaly;

/// <summary>How a prediction-error source turns (observed, predicted) into a raw score (ML.NET's <c>ErrorFunction</c>).</summary>
public enum ErrorFunction
{
    /// <summary>x − prediction (ML.NET's default).</summary>
    SignedDifference,

    /// <summary>|x − prediction|.</summary>
    AbsoluteDifference,

    /// <summary>(x − prediction) / prediction, 0 when the prediction is 0.</summary>
    SignedProportion,

    /// <summary>|(x − prediction) / prediction|, 0 when the prediction is 0.</summary>
    AbsoluteProportion,

    /// <summary>(x − prediction)².</summary>
    SquaredDifference,
}
