namespace MetricsPipeline.Forecasting;

/// <summary>Which numerical semantics the SSA forecaster follows.</summary>
public enum SsaCompatibility
{
    /// <summary>
    /// Improved semantics (the default): double precision throughout, the user's maximum rank is honoured, and the
    /// forecast variance uses the full ψ-weight recursion (ψ₁ included). Noise means stay zero, as in ML.NET,
    /// because the backtest did not show a benefit from a bias term.
    /// </summary>
    Default = 0,

    /// <summary>
    /// ML.NET's <c>ForecastBySsa</c> semantics, quirks included: model quantities rounded to float32 where ML.NET
    /// stores them, the maximum rank forced to windowSize − 1, ψ₁ skipped in the variance recursion.
    /// </summary>
    MlNet = 1,
}
