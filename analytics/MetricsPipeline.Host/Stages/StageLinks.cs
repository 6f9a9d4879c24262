using MetricsPipeline.Analytics.Pipeline;
using MetricsPipeline.Host.Forecasting;

namespace MetricsPipeline.Host.Stages;

/// <summary>
/// Connects the window stages that feed each other: the scaling stage listens to the forecast stage (predictive
/// scaling) and to the anomaly stage (traffic spikes → emergency scale-out), and runs after both, so a decision on a
/// window already sees that window's forecast and anomaly signal.
/// </summary>
public static class StageLinks
{
    /// <summary>The stages in dependency order (producers first, the scaling stage last), connected.</summary>
    public static IReadOnlyList<IWindowStage> Connect(IEnumerable<IWindowStage> stages)
    {
        ArgumentNullException.ThrowIfNull(stages);
        var all = stages.ToList();
        var scaling = all.OfType<ScalingStage>().ToList();
        if (scaling.Count == 0)
        {
            return all;
        }

        foreach (var decision in scaling)
        {
            foreach (var forecast in all.OfType<ForecastStage>())
            {
                decision.ListenTo(forecast);
            }

            foreach (var anomaly in all.OfType<AnomalyStage>())
            {
                anomaly.AddListener(decision);
            }
        }

        return [.. all.Where(s => s is not ScalingStage), .. scaling];
    }
}
