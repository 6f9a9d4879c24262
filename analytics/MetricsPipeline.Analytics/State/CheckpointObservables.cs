using System.Reactive.Concurrency;
using MetricsPipeline.Analytics.Pipeline;
using MetricsPipeline.Analytics.Windows;
using MetricsPipeline.Ingest.Model;

namespace MetricsPipeline.Analytics.State;

/// <summary>The checkpointed variant of the window stage.</summary>
public static class CheckpointObservables
{
    /// <summary>
    /// <c>.WindowAggregateCheckpointed()</c>: <see cref="AnalyticsObservables.WindowAggregate"/> under a
    /// <see cref="PipelineCheckpointer"/>: a queued restore is applied before the first input; messages of partitions
    /// not assigned here are skipped; every series is attributed to the partition it arrived on; closed windows the
    /// checkpointer does not own are filtered out. On completion the open windows are <b>not</b> drained: they are
    /// rebuilt from the last checkpoint by whichever instance consumes their partition next, so a graceful stop or
    /// a rebalance never writes a partial window over a complete one.
    /// </summary>
    public static IObservable<AggregateBatch> WindowAggregateCheckpointed(
        this IObservable<IReadOnlyList<SourceMessage>> source,
        WindowAggregator aggregator,
        IDeadLetterSink deadLetters,
        TimeSpan tickInterval,
        IScheduler scheduler,
        PipelineCheckpointer checkpointer)
    {
        ArgumentNullException.ThrowIfNull(checkpointer);
        return AnalyticsObservables.WindowAggregateCore(source, aggregator, deadLetters, tickInterval, scheduler, checkpointer);
    }
}
