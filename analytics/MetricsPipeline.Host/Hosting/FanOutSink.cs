using MetricsPipeline.Analytics.Pipeline;
using MetricsPipeline.Ingest.Model;
using MetricsPipeline.Sinks.Batching;

namespace MetricsPipeline.Host.Hosting;

/// <summary>
/// Hands every batch of points to each configured sink; the batch counts as acknowledged only when every sink
/// acknowledged it (end-to-end acknowledgement across outputs). Thread-safe as the sinks are.
/// </summary>
internal sealed class FanOutSink(IReadOnlyList<(string Name, BatchingSink<MetricPoint> Sink)> sinks) : IAggregateSink
{
    public IReadOnlyList<(string Name, BatchingSink<MetricPoint> Sink)> Sinks { get; } = sinks;

    public async ValueTask<Task> SubmitAsync(IReadOnlyList<MetricPoint> points, CancellationToken cancellationToken)
    {
        if (Sinks.Count == 1)
        {
            return await Sinks[0].Sink.EnqueueAsync(points, cancellationToken);
        }

        var acks = new Task[Sinks.Count];
        for (var i = 0; i < Sinks.Count; i++)
        {
            acks[i] = await Sinks[i].Sink.EnqueueAsync(points, cancellationToken);
        }

        return Task.WhenAll(acks);
    }
}
