using MetricsPipeline.Analytics.Pipeline;

namespace MetricsPipeline.Host.Hosting;

/// <summary>
/// The stages that run on every batch of closed windows. One line per stage keeps additions conflict-free; a stage
/// that is not configured returns nothing from its factory. <see cref="Create"/> then connects the stages that feed
/// each other (<see cref="Stages.StageLinks"/>).
/// </summary>
internal static class WindowStageCatalog
{
    /// <summary>Creates the configured stages, connected and in dependency order.</summary>
    public static IEnumerable<IWindowStage> Create(WindowStageContext context) => Stages.StageLinks.Connect(Configured(context));

    /// <summary>Creates the configured stages, unconnected.</summary>
    private static IEnumerable<IWindowStage> Configured(WindowStageContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (Stages.ScalingStage.Create(context) is { } scaling) yield return scaling;
        foreach (var stage in Forecasting.ForecastStages.Create(context)) { yield return stage; }
        if (MetricsPipeline.Host.Stages.AnomalyStage.Create(context) is { } anomaly) { yield return anomaly; }
        yield break;
    }
}
