namespace MetricsPipeline.Decisions.Scaling;

/// <summary>How a <see cref="PredictiveScalingPolicy"/> acts on its forecasts.</summary>
public enum PredictiveScalingMode
{
    /// <summary>Commands are advisory only (<c>advisory: true</c>); nothing is applied.</summary>
    ForecastOnly,

    /// <summary>Scale out and in to the forecast capacity.</summary>
    ForecastAndScale,

    /// <summary>Scale out ahead of load only; scaling in is left to the reactive policy.</summary>
    ScaleOutOnly,
}
