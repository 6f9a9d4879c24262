using MetricsPipeline.Ingest.Model;

namespace MetricsPipeline.Analytics.Pipeline;

/// <summary>Where the analytics stage hands its output points (InfluxDB, files, several at once).</summary>
public interface IAggregateSink
{
    /// <summary>
    /// Hands over points. The returned <see cref="ValueTask{TResult}"/> completes when the sink accepted them (it
    /// waits while the sink's buffer is full: that is the pipeline's backpressure); the inner <see cref="Task"/>
    /// completes when they are durably written or dead-lettered.
    /// </summary>
    ValueTask<Task> SubmitAsync(IReadOnlyList<MetricPoint> points, CancellationToken cancellationToken);
}
