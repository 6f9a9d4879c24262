using MetricsPipeline.Anomaly;
using MetricsPipeline.Anomaly.Streaming;

namespace MetricsPipeline.Host.Stages;

/// <summary>The detection state of one monitored series (one family × one group).</summary>
internal sealed class AnomalySeriesState(AnomalySeriesDefinition definition, string group, IAnomalyDetector detector, RobustBaseline baseline, AlertLifecycle lifecycle)
{
    public AnomalySeriesDefinition Definition { get; } = definition;

    public string Group { get; } = group;

    public IAnomalyDetector Detector { get; } = detector;

    public RobustBaseline Baseline { get; } = baseline;

    public AlertLifecycle Lifecycle { get; } = lifecycle;

    /// <summary>The last window start fed to the detector (windows at or before it are late and skipped).</summary>
    public long LastStartNs { get; set; } = long.MinValue;
}
