using MetricsPipeline.Analytics.Windows;
using MetricsPipeline.Ingest.Model;

namespace MetricsPipeline.Analytics.Pipeline;

/// <summary>
/// A stage that reacts to closed windows — forecasting, anomaly detection, alerting, scaling — and produces more
/// points to write. Its points are handed to the sinks together with the windows that caused them, so the Kafka
/// offsets behind both are stored only after both are acknowledged.
/// </summary>
public interface IWindowStage
{
    /// <summary>A short name for logs and error counters (e.g. <c>forecast</c>).</summary>
    string Name { get; }

    /// <summary>
    /// Called for every batch of closed windows, in order, on the pipeline's thread (never concurrently). Returns the
    /// points to write (possibly none). Should not block for long; publishing to Kafka goes through the stage's own
    /// producer. An exception is logged and counted, and the pipeline goes on without this batch's stage output.
    /// </summary>
    IReadOnlyList<MetricPoint> OnWindows(AggregateBatch batch);
}
