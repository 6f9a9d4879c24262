using System.Reactive.Concurrency;
using System.Reactive.Disposables;
using System.Reactive.Linq;
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
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(aggregator);
        ArgumentNullException.ThrowIfNull(deadLetters);
        ArgumentNullException.ThrowIfNull(scheduler);
        ArgumentNullException.ThrowIfNull(checkpointer);
        return Observable.Create<AggregateBatch>(observer =>
        {
            var gate = new object();
            var done = false;
            var letters = new List<DeadLetter>();
            void Emit(AggregateBatch batch)
            {
                batch = checkpointer.Filter(batch);
                if (batch.Windows.Count > 0 || batch.Commits.Count > 0)
                {
                    observer.OnNext(batch);
                }
            }

            // As in WindowAggregate: a large close comes in chunks (WindowOptions.MaxWindowsPerBatch); only the last one
            // carries the offset commits, so a checkpoint (taken on a batch that releases offsets) never sees a half-closed tick.
            void AdvanceAll()
            {
                Emit(aggregator.Advance());
                while (aggregator.HasPendingWindows)
                {
                    Emit(aggregator.Advance());
                }
            }

            var ticks = Observable.Interval(tickInterval, scheduler).Subscribe(_ =>
            {
                lock (gate)
                {
                    if (!done)
                    {
                        checkpointer.BeforeInput();
                        AdvanceAll();
                    }
                }
            });
            var input = source.Subscribe(
                messages =>
                {
                    lock (gate)
                    {
                        if (done)
                        {
                            return;
                        }

                        checkpointer.BeforeInput();
                        foreach (var message in messages)
                        {
                            if (!checkpointer.ShouldProcess(message.Topic, message.Partition))
                            {
                                continue;
                            }

                            aggregator.Process(message, letters);
                            checkpointer.ObserveSeries(message.Topic, message.Partition);
                        }

                        foreach (var letter in letters)
                        {
                            // As in WindowAggregate: dead letters are durable before their message's offset is released.
                            deadLetters.WriteAsync(letter).AsTask().GetAwaiter().GetResult();
                        }

                        letters.Clear();
                        AdvanceAll();
                    }
                },
                error =>
                {
                    lock (gate)
                    {
                        done = true;
                        observer.OnError(error);
                    }
                },
                () =>
                {
                    lock (gate)
                    {
                        done = true;
                        observer.OnCompleted();
                    }
                });
            return new CompositeDisposable(input, ticks);
        });
    }
}
