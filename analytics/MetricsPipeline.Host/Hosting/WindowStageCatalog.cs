using MetricsPipeline.Analytics.Pipeline;

namespace MetricsPipeline.Host.Hosting;

/// <summary>
/// The stages that run on every batch of closed windows, in this order. One line per stage keeps additions
/// conflict-free; a stage that is not configured returns nothing from its factory.
/// </summary>
internal static class WindowStageCatalog
{
    /// <summary>Creates the configured stages.</summary>
    public static IEnumerable<IWindowStage> Create(WindowStageContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (Stages.ScalingStage.Create(context) is { } scaling) yield return scaling;
        foreach (var stage in Forecasting.ForecastStages.Create(context)) { yield return stage; }
        if (MetricsPipeline.Host.Stages.AnomalyStage.Create(context) is { } anomaly) { yield return anomaly; }
        yield break;
    }
}
