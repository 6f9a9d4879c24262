using System.Reactive.Concurrency;
using System.Reactive.Disposables;
using System.Reactive.Linq;
using MetricsPipeline.Analytics.Output;
using MetricsPipeline.Analytics.State;
using MetricsPipeline.Analytics.Windows;
using MetricsPipeline.Ingest.Model;

namespace MetricsPipeline.Analytics.Pipeline;

/// <summary>
/// The Rx stages of the analytics pipeline. Elements are batches (of source messages, of closed windows), never
/// single points: Rx wires the stages, the window stage's tight loop does the work.
/// </summary>
public static class AnalyticsObservables
{
    /// <summary>
    /// <c>.WindowAggregate()</c>: feeds every message batch to <paramref name="aggregator"/>, writes each bad line to
    /// <paramref name="deadLetters"/>, and emits the windows that closed. A timer on <paramref name="scheduler"/> also
    /// advances the watermark, so windows close while the input is idle. When the source completes, every open window
    /// is closed (drained) and emitted before completion.
    /// </summary>
    public static IObservable<AggregateBatch> WindowAggregate(
        this IObservable<IReadOnlyList<SourceMessage>> source,
        WindowAggregator aggregator,
        IDeadLetterSink deadLetters,
        TimeSpan tickInterval,
        IScheduler scheduler) => WindowAggregateCore(source, aggregator, deadLetters, tickInterval, scheduler, checkpointer: null);

    /// <summary>
    /// The window stage, optionally under a <see cref="PipelineCheckpointer"/> (see
    /// <see cref="CheckpointObservables.WindowAggregateCheckpointed"/>): then a queued restore is applied before input,
    /// messages of partitions not owned here are skipped, series are attributed to their partition, closed windows
    /// the checkpointer does not own are filtered out, and completion does not drain the open windows.
    /// </summary>
    internal static IObservable<AggregateBatch> WindowAggregateCore(
        IObservable<IReadOnlyList<SourceMessage>> source,
        WindowAggregator aggregator,
        IDeadLetterSink deadLetters,
        TimeSpan tickInterval,
        IScheduler scheduler,
        PipelineCheckpointer? checkpointer)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(aggregator);
        ArgumentNullException.ThrowIfNull(deadLetters);
        ArgumentNullException.ThrowIfNull(scheduler);
        return Observable.Create<AggregateBatch>(observer =>
        {
            var gate = new object();
            var done = false;
            var letters = new List<DeadLetter>();
            void Emit(AggregateBatch batch)
            {
                if (checkpointer is not null)
                {
                    batch = checkpointer.Filter(batch);
                }

                if (batch.Windows.Count > 0 || batch.Commits.Count > 0)
                {
                    observer.OnNext(batch);
                }
            }

            // A large close comes in chunks (WindowOptions.MaxWindowsPerBatch); each is written downstream before the
            // next is built, so the results alive at once stay bounded. Only the last chunk carries the offset commits,
            // so a checkpoint (taken on a batch that releases offsets) never sees a half-closed tick.
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
                        checkpointer?.BeforeInput();
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

                        checkpointer?.BeforeInput();
                        foreach (var message in messages)
                        {
                            if (checkpointer is null)
                            {
                                aggregator.Process(message, letters);
                            }
                            else if (checkpointer.ShouldProcess(message.Topic, message.Partition))
                            {
                                aggregator.Process(message, letters);
                                checkpointer.ObserveSeries(message.Topic, message.Partition);
                            }
                        }

                        foreach (var letter in letters)
                        {
                            // Blocking here is deliberate: a message's offset must not be committed before its dead
                            // letters are durable, and the Rx chain runs on the consumer's own thread.
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
                        if (checkpointer is null)
                        {
                            // Under a checkpointer the open windows are rebuilt from the checkpoint by the partition's
                            // next owner instead, so a stop never writes a partial window over a complete one.
                            Emit(aggregator.Drain());
                        }

                        observer.OnCompleted();
                    }
                });
            return new CompositeDisposable(input, ticks);
        });
    }

    /// <summary>
    /// <c>.Rollup()</c>: passes every batch on with the rollup windows that closed with it appended (1 min → 5 min →
    /// 1 h by default, each carrying its <see cref="WindowResult.RetentionPolicy"/>); the batch's offset commits are
    /// unchanged. A rollup window is not a source of offsets: its inputs' offsets were released with the source
    /// windows, because rollups are derived data that a restart rebuilds only partially (documented trade-off).
    /// On completion the open rollup windows are drained into one last batch.
    /// </summary>
    public static IObservable<AggregateBatch> Rollup(this IObservable<AggregateBatch> source, RollupAggregator rollups)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(rollups);
        return Observable.Create<AggregateBatch>(observer => source.Subscribe(
            batch =>
            {
                IReadOnlyList<WindowResult> rolled;
                try
                {
                    rolled = rollups.Add(batch.Windows, batch.ClosedThroughNs);
                }
                catch (Exception ex)
                {
                    observer.OnError(ex);
                    return;
                }

                observer.OnNext(rolled.Count == 0 ? batch : batch with { Windows = [.. batch.Windows, .. rolled] });
            },
            observer.OnError,
            () =>
            {
                var rest = rollups.Drain();
                if (rest.Count > 0)
                {
                    observer.OnNext(new AggregateBatch(rest, [], long.MaxValue));
                }

                observer.OnCompleted();
            }));
    }

    /// <summary>
    /// <c>.WriteAggregates()</c>: converts closed windows to points and hands them to <paramref name="sink"/>, waiting
    /// while the sink is full (backpressure). When the sink acknowledges a batch, its offset commits are passed to
    /// <paramref name="acknowledge"/>, strictly in order. Emits each batch after it was accepted; completes only after
    /// every batch was acknowledged.
    /// </summary>
    public static IObservable<AggregateBatch> WriteAggregates(
        this IObservable<AggregateBatch> source,
        IAggregateSink sink,
        IList<double> quantiles,
        Action<IReadOnlyList<OffsetCommit>> acknowledge,
        CancellationToken cancellationToken = default) =>
        source.WriteAggregates(sink, quantiles, acknowledge, [], (_, _) => { }, cancellationToken);

    /// <summary>
    /// <c>.WriteAggregates()</c> with window stages: each batch's closed windows are also passed to every stage in
    /// <paramref name="stages"/>, and the points they return are written in the same submission, so they share the
    /// windows' acknowledgement. A stage that throws is reported to <paramref name="stageFailed"/> and skipped for
    /// that batch.
    /// </summary>
    public static IObservable<AggregateBatch> WriteAggregates(
        this IObservable<AggregateBatch> source,
        IAggregateSink sink,
        IList<double> quantiles,
        Action<IReadOnlyList<OffsetCommit>> acknowledge,
        IReadOnlyList<IWindowStage> stages,
        Action<IWindowStage, Exception> stageFailed,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stages);
        ArgumentNullException.ThrowIfNull(stageFailed);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(sink);
        ArgumentNullException.ThrowIfNull(acknowledge);
        return Observable.Create<AggregateBatch>(observer =>
        {
            var acknowledged = Task.CompletedTask;
            return source.Subscribe(
                batch =>
                {
                    Task written;
                    try
                    {
                        var points = AggregatePoints.ToPoints(batch.Windows, quantiles);
                        foreach (var stage in stages)
                        {
                            try
                            {
                                points.AddRange(stage.OnWindows(batch));
                            }
                            catch (Exception ex)
                            {
                                stageFailed(stage, ex);
                            }
                        }

                        written = points.Count > 0
                            ? sink.SubmitAsync(points, cancellationToken).AsTask().GetAwaiter().GetResult()
                            : Task.CompletedTask;
                    }
                    catch (Exception ex)
                    {
                        observer.OnError(ex);
                        return;
                    }

                    var commits = batch.Commits;
                    var previous = acknowledged;
                    // Chaining keeps the commits in order even if the sink completes acknowledgements out of order.
                    acknowledged = Task.WhenAll(previous, written).ContinueWith(
                        t =>
                        {
                            if (t.IsCompletedSuccessfully && commits.Count > 0)
                            {
                                acknowledge(commits);
                            }

                            return t;
                        },
                        CancellationToken.None,
                        TaskContinuationOptions.ExecuteSynchronously,
                        TaskScheduler.Default).Unwrap();
                    observer.OnNext(batch);
                },
                observer.OnError,
                () =>
                {
                    acknowledged.ContinueWith(
                        t =>
                        {
                            if (t.IsFaulted)
                            {
                                observer.OnError(t.Exception!.GetBaseException());
                            }
                            else
                            {
                                observer.OnCompleted();
                            }
                        },
                        CancellationToken.None,
                        TaskContinuationOptions.ExecuteSynchronously,
                        TaskScheduler.Default);
                });
        });
    }
}
