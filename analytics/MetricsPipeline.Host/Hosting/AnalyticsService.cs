using System.Reactive.Concurrency;
using System.Reactive.Linq;
using System.Reactive.Subjects;
using MetricsPipeline.Analytics.Pipeline;
using MetricsPipeline.Analytics.State;
using MetricsPipeline.Analytics.Telemetry;
using MetricsPipeline.Analytics.Windows;
using MetricsPipeline.Ingest.Model;
using MetricsPipeline.Kafka;
using MetricsPipeline.Sinks.Batching;
using MetricsPipeline.Sinks.Files;
using MetricsPipeline.Sinks.InfluxDb;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace MetricsPipeline.Host.Hosting;

/// <summary>
/// The running analytics pipeline: <c>KafkaSource</c> → <c>.WindowAggregate()</c> → <c>.WriteAggregates()</c> into
/// InfluxDB and/or line-protocol files, with offsets stored only after every sink acknowledged the windows a
/// record fed. <see cref="StopAsync(TimeSpan)"/> stops consuming, closes every open window, waits for the sinks, stores and
/// commits the offsets, and leaves the consumer group. With checkpointing (<see cref="CheckpointOptions"/>,
/// <c>Analytics:State:Directory</c>, or <c>Analytics:State:Store = kafka</c> for the topic <c>&lt;group&gt;.state</c>) offsets are committed only with a checkpoint, partitions are restored on
/// assignment, and a stop writes a final checkpoint instead of flushing the open windows (see
/// <see cref="PipelineCheckpointer"/>).
/// </summary>
public sealed class AnalyticsService : IAsyncDisposable
{
    private readonly KafkaSource _source;
    private readonly FanOutSink _sink;
    private readonly KafkaMessageProducer _deadLetterProducer;
    private readonly CountingDeadLetterSink _deadLetters;
    private readonly IConnectableObservable<AggregateBatch> _output;
    private readonly IDisposable _connection;
    private readonly TaskCompletionSource _completed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ILogger _logger;
    private readonly PipelineCheckpointer? _checkpointer;
    private KafkaStateTopic? _stateTopic;
    private Task? _stopping;
    private int _aborted;
    private long _stageErrors;
    private long _stageCallsRunning;
    private long _stageCallsCompleted;
    private long _busySamples;

    private AnalyticsService(
        PipelineSettings settings,
        string bootstrapServers,
        ILoggerFactory loggerFactory,
        TimeProvider time,
        IReadOnlyList<IWindowStage> stages,
        CheckpointOptions? state)
    {
        _logger = loggerFactory.CreateLogger<AnalyticsService>();
        Settings = settings;
        Counters = new PipelineCounters();
        Stages = stages;
        Aggregator = new WindowAggregator(settings.Windows, Counters, time);
        Aggregator.RejectionLog = reason => _logger.LogWarning("Cardinality limit: {Reason}", reason);

        _deadLetterProducer = new KafkaMessageProducer(ProducerOptions(settings, bootstrapServers, settings.Kafka.Topics.DeadLetter), loggerFactory.CreateLogger<KafkaMessageProducer>());
        _deadLetters = new CountingDeadLetterSink(new KafkaDeadLetterSink(_deadLetterProducer, settings.Kafka.Topics.DeadLetter));

        var sinks = new List<(string, BatchingSink<MetricPoint>)>();
        if (settings.InfluxDb is { } influx)
        {
            sinks.Add(("influxdb", InfluxDbSink.Create(influx, settings.Sink, _deadLetters, loggerFactory.CreateLogger("InfluxDbSink"), time)));
        }

        if (!string.IsNullOrWhiteSpace(settings.OutputDirectory))
        {
            var writer = new LineProtocolFileWriter(new LineProtocolFileOptions { Directory = settings.OutputDirectory }, time);
            sinks.Add(("files", new BatchingSink<MetricPoint>(writer, settings.Sink, "files", _deadLetters, null, loggerFactory.CreateLogger("FileSink"), time)));
        }

        _sink = new FanOutSink(sinks);

        var sourceOptions = new KafkaSourceOptions
        {
            BootstrapServers = bootstrapServers,
            GroupId = settings.Kafka.GroupId,
            Topic = settings.Kafka.Topics.Metrics,
        };
        if (settings.Kafka.UseEmbedded)
        {
            // librdkafka's mock cluster stalls a group for session.timeout.ms - 1 s on every join and leave.
            sourceOptions.Settings["session.timeout.ms"] = "3000";
            sourceOptions.Settings["heartbeat.interval.ms"] = "500";
        }

        foreach (var (key, value) in settings.Kafka.Consumer)
        {
            sourceOptions.Settings[key] = value;
        }

        _source = new KafkaSource(sourceOptions, loggerFactory.CreateLogger<KafkaSource>());
        // Records queued in the source are not silence: while the sinks hold the stage back, no partition goes idle.
        var queued = _source.Batches;
        Aggregator.InputPending = () => queued.CanCount && queued.Count > 0;
        if (state is { Enabled: true })
        {
            _checkpointer = new PipelineCheckpointer(
                state,
                CreateStore(state, settings, bootstrapServers, loggerFactory, time),
                settings.Kafka.GroupId,
                Aggregator,
                stages,
                _source.Acknowledge,
                time,
                message => _logger.LogWarning("Checkpoint: {Message}", message));
            stages = [.. stages, _checkpointer.CaptureStage];
            _source.StartOffsets = partitions =>
            {
                var starts = _checkpointer.OnAssigned(
                    [.. partitions.Select(p => (p.Topic, p.Partition))],
                    (topic, partition) => _source.ExpectedOffset(new KafkaTopicPartition(topic, partition)));
                return starts.ToDictionary(s => new KafkaTopicPartition(s.Key.Topic, s.Key.Partition), s => s.Value);
            };
            _source.PartitionsRevoked += partitions => _checkpointer.OnRevoked([.. partitions.Select(p => (p.Topic, p.Partition))]);
            _logger.LogInformation("Checkpointing to {Store} every {Interval}", _stateTopic is null ? state.Directory : _stateTopic.Topic, state.Interval);
        }

        _source.PartitionsAssigned += partitions =>
        {
            foreach (var group in partitions.GroupBy(p => p.Topic))
            {
                Aggregator.OnPartitionsChanged(true, group.Key, group.Select(p => p.Partition));
            }
        };
        _source.PartitionsRevoked += partitions =>
        {
            foreach (var group in partitions.GroupBy(p => p.Topic))
            {
                Aggregator.OnPartitionsChanged(false, group.Key, group.Select(p => p.Partition));
            }
        };
        var scheduler = new EventLoopScheduler(start => new Thread(start) { Name = "analytics-ticks", IsBackground = true });
        var input = ReadSource(_source);
        var windows = _checkpointer is null
            ? input.WindowAggregate(Aggregator, _deadLetters, settings.TickInterval, scheduler)
            : input.WindowAggregateCheckpointed(Aggregator, _deadLetters, settings.TickInterval, scheduler, _checkpointer);
        if (settings.Rollups is { } rollups)
        {
            // 1 min → 5 min → 1 h by merging sketches; each result carries its level's retention policy.
            windows = windows.Rollup(new RollupAggregator(rollups));
        }

        _output = windows
            .WriteAggregates(_sink, settings.Windows.Quantiles, Acknowledge, [.. stages.Select(s => (IWindowStage)new TrackedStage(s, this))], OnStageFailed)
            .Publish();
        _output.Subscribe(_ => { }, ex => _completed.TrySetException(ex), () => _completed.TrySetResult());
        _connection = _output.Connect();
        _source.Start();
    }

    /// <summary>The settings the service runs with.</summary>
    public PipelineSettings Settings { get; }

    /// <summary>The analytics stage's counters.</summary>
    public PipelineCounters Counters { get; }

    /// <summary>The window stage (read-only use: series count, closed-through time).</summary>
    public WindowAggregator Aggregator { get; }

    /// <summary>The consumer (record counters, offset gaps, lag).</summary>
    public KafkaSource Source => _source;

    /// <summary>The outputs with their statistics.</summary>
    public IReadOnlyList<(string Name, BatchingSink<MetricPoint> Sink)> Sinks => _sink.Sinks;

    /// <summary>Dead letters written so far.</summary>
    public long DeadLetters => _deadLetters.Count;

    /// <summary>Closed windows as they are accepted by the sinks (hot; for views and later stages).</summary>
    public IObservable<AggregateBatch> Windows => _output;

    /// <summary>Completes when the pipeline has stopped and every output was acknowledged; faults on a fatal error.</summary>
    public Task Completion => _completed.Task;

    /// <summary>The window stages (forecasting, detection, decisions) that run on every batch of closed windows.</summary>
    public IReadOnlyList<IWindowStage> Stages { get; }

    /// <summary><c>pipeline_errors_total{stage}</c>: batches a window stage failed on.</summary>
    public long StageErrors => Interlocked.Read(ref _stageErrors);

    /// <summary>
    /// Calls of a window stage finished so far. With <see cref="StageRunning"/>, shows the pipeline thread working
    /// through a backlog (a stage can take minutes over the windows of a long history) when no counter moves.
    /// </summary>
    public long StageCallsCompleted => Interlocked.Read(ref _stageCallsCompleted);

    /// <summary>True while a window stage works on a batch (on the pipeline thread).</summary>
    public bool StageRunning => Interlocked.Read(ref _stageCallsRunning) > 0;

    /// <summary>
    /// A value that changes whenever the pipeline made progress since the last call: points read, windows closed,
    /// stage calls finished or running, points written or dead-lettered by an output. For waits bounded by progress.
    /// </summary>
    public long ProgressMark()
    {
        var sum = Counters.PointsReceived + Counters.ParseErrors + Counters.SeriesRejected + Counters.WindowsClosed + StageCallsCompleted;
        foreach (var (_, sink) in _sink.Sinks)
        {
            sum += sink.Statistics.ItemsWritten + sink.Statistics.ItemsDeadLettered;
        }

        // A stage busy on one long batch moves no counter; each sample while it runs counts as a change.
        return StageRunning ? sum + Interlocked.Increment(ref _busySamples) + (1L << 40) : sum;
    }

    /// <summary>Checkpoint counters; null when checkpointing is off.</summary>
    public CheckpointCounters? Checkpoints => _checkpointer?.Counters;

    /// <summary>
    /// Starts the pipeline with the stages <see cref="WindowStageCatalog"/> configures. Checkpointing follows
    /// <paramref name="state"/>, else the <c>Analytics:State</c> section of <paramref name="configuration"/>; it is off
    /// when neither sets a directory.
    /// </summary>
    public static AnalyticsService Start(PipelineSettings settings, string bootstrapServers, ILoggerFactory loggerFactory, TimeProvider? time = null, IConfiguration? configuration = null, CheckpointOptions? state = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        if (state is null && configuration?.GetSection("Analytics:State") is { } section && section.Exists())
        {
            state = new CheckpointOptions();
            section.Bind(state);
        }

        state?.Validate();
        var clock = time ?? TimeProvider.System;
        var stages = WindowStageCatalog.Create(new WindowStageContext(settings, configuration, bootstrapServers, loggerFactory, clock)).ToList();
        return new AnalyticsService(settings, bootstrapServers, loggerFactory, clock, stages, state);
    }

    /// <summary>
    /// Stops as a crash would, for fault tests: no final checkpoint, so the group's committed offsets and the
    /// checkpoints stay where the last periodic checkpoint left them and the next owner re-reads from there (the
    /// consumer still leaves the group, so the take-over does not wait for the session timeout). Never throws.
    /// </summary>
    public Task AbortAsync()
    {
        Interlocked.Exchange(ref _aborted, 1);
        return StopAsync(TimeSpan.FromSeconds(30));
    }

    /// <summary>
    /// Stops consuming, closes every open window, waits until the outputs acknowledged them, commits the offsets
    /// and leaves the consumer group. Idempotent: a repeated call waits for the first stop, at most its own timeout;
    /// never throws (a failure is logged and left in <see cref="Completion"/>).
    /// </summary>
    public Task StopAsync(TimeSpan timeout) => StopAsync(timeout, static () => 0, timeout);

    /// <summary>
    /// <see cref="StopAsync(TimeSpan)"/> for a caller that would rather wait longer than lose windows: waits for the
    /// outputs as long as <paramref name="progress"/> or the points the outputs took keep changing, and gives up after
    /// <paramref name="stallTimeout"/> without a change (or after <see cref="MaxStopWait"/> in all).
    /// </summary>
    /// <param name="stallTimeout">How long the wait may go without progress before the stop gives up.</param>
    /// <param name="progress">An extra progress measure (e.g. points consumed); any change counts as progress.</param>
    public Task StopAsync(TimeSpan stallTimeout, Func<long> progress) => StopAsync(stallTimeout, progress, MaxStopWait);

    private async Task StopAsync(TimeSpan stallTimeout, Func<long> progress, TimeSpan limit)
    {
        ArgumentNullException.ThrowIfNull(progress);
        var first = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var running = Interlocked.CompareExchange(ref _stopping, first.Task, null);
        if (running is not null)
        {
            // Another stop ran or runs: wait for it (not for Completion) at most this call's own timeout. When the first
            // stop gave up (its outputs could not take the last windows), Completion may never come; waiting for it kept
            // a demo process alive after its summary (its `await using` disposes after its own stop), and waiting for
            // it for the full timeout only delays an exit that has nothing left to wait for.
            await Task.WhenAny(running, Task.Delay(stallTimeout));
            return;
        }

        try
        {
            await StopCoreAsync(stallTimeout, progress, limit);
        }
        finally
        {
            first.TrySetResult();
        }
    }

    /// <summary>The longest a progress-bounded <see cref="StopAsync(TimeSpan, Func{long})"/> waits in all: 30 minutes.</summary>
    public static TimeSpan MaxStopWait { get; } = TimeSpan.FromMinutes(30);

    private async Task StopCoreAsync(TimeSpan stallTimeout, Func<long> progress, TimeSpan limit)
    {
        try
        {
            await _source.StopConsumingAsync();
            await WaitWhileProgressingAsync(stallTimeout, progress, limit);
            if (_checkpointer is not null && Volatile.Read(ref _aborted) == 0)
            {
                // Every batch is acknowledged now; the final checkpoint stores the offsets the source commits on leave.
                _checkpointer.WriteFinal();
            }
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "The analytics pipeline did not finish cleanly");
        }

        foreach (var (_, sink) in _sink.Sinks)
        {
            await sink.DisposeAsync();
        }

        await _source.DisposeAsync();
        foreach (var stage in Stages)
        {
            // Stages that publish (alerts, commands) flush their producers here, after their last batch.
            if (stage is IAsyncDisposable disposable)
            {
                await disposable.DisposeAsync();
            }
        }

        await _deadLetterProducer.DisposeAsync();
        _stateTopic?.Dispose();
        _connection.Dispose();
    }

    /// <summary>
    /// Waits for <see cref="Completion"/>; throws <see cref="TimeoutException"/> once neither the outputs nor
    /// <paramref name="progress"/> moved for <paramref name="stallTimeout"/>, or after <paramref name="limit"/> in all.
    /// </summary>
    private async Task WaitWhileProgressingAsync(TimeSpan stallTimeout, Func<long> progress, TimeSpan limit)
    {
        var total = System.Diagnostics.Stopwatch.StartNew();
        var last = Progress(progress);
        var since = System.Diagnostics.Stopwatch.StartNew();
        var step = TimeSpan.FromMilliseconds(Math.Clamp(stallTimeout.TotalMilliseconds / 4, 10, 1000));
        while (!Completion.IsCompleted)
        {
            await Task.WhenAny(Completion, Task.Delay(step));
            var now = Progress(progress);
            if (now != last && total.Elapsed < limit)
            {
                last = now;
                since.Restart();
            }
            else if (!Completion.IsCompleted && (since.Elapsed >= stallTimeout || total.Elapsed >= limit))
            {
                throw new TimeoutException($"The outputs made no progress for {since.Elapsed} ({total.Elapsed} in all).");
            }
        }

        await Completion;
    }

    private long Progress(Func<long> progress) => progress() + ProgressMark();

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await StopAsync(TimeSpan.FromSeconds(30));

    /// <summary>Counts the calls of a stage (see <see cref="StageRunning"/>); otherwise the stage itself.</summary>
    private sealed class TrackedStage(IWindowStage inner, AnalyticsService owner) : IWindowStage
    {
        public string Name => inner.Name;

        public IReadOnlyList<MetricPoint> OnWindows(AggregateBatch batch)
        {
            Interlocked.Increment(ref owner._stageCallsRunning);
            try
            {
                return inner.OnWindows(batch);
            }
            finally
            {
                Interlocked.Decrement(ref owner._stageCallsRunning);
                Interlocked.Increment(ref owner._stageCallsCompleted);
            }
        }
    }

    private void OnStageFailed(IWindowStage stage, Exception error)
    {
        Interlocked.Increment(ref _stageErrors);
        _logger.LogError(error, "Window stage {Stage} failed on a batch; its output for that batch is skipped", stage.Name);
    }

    private void Acknowledge(IReadOnlyList<OffsetCommit> commits)
    {
        if (_checkpointer is not null)
        {
            if (Volatile.Read(ref _aborted) == 0)
            {
                _checkpointer.OnAcknowledged(commits);
            }

            return;
        }

        foreach (var commit in commits)
        {
            _source.Acknowledge(commit.Topic, commit.Partition, commit.NextOffset);
        }
    }

    private ICheckpointStore CreateStore(CheckpointOptions state, PipelineSettings settings, string bootstrapServers, ILoggerFactory loggerFactory, TimeProvider time)
    {
        if (!state.UsesKafka)
        {
            return new DirectoryCheckpointStore(state.Directory!);
        }

        var options = new KafkaStateTopicOptions
        {
            BootstrapServers = bootstrapServers,
            Topic = KafkaCheckpointLog.TopicName(settings.Kafka.GroupId),
            Partitions = state.Kafka.Partitions,
        };
        foreach (var (key, value) in settings.Kafka.Producer)
        {
            // Security settings (SASL/SSL) are shared with the producers.
            if (key.StartsWith("security.", StringComparison.Ordinal) || key.StartsWith("sasl.", StringComparison.Ordinal) || key.StartsWith("ssl.", StringComparison.Ordinal))
            {
                options.Settings[key] = value;
            }
        }

        _stateTopic = new KafkaStateTopic(options, loggerFactory.CreateLogger<KafkaStateTopic>());
        _stateTopic.EnsureCreated();
        return new KafkaCheckpointStore(new KafkaCheckpointLog(_stateTopic), state.Kafka, time);
    }

    private static KafkaProducerOptions ProducerOptions(PipelineSettings settings, string bootstrapServers, string topic)
    {
        var options = new KafkaProducerOptions { BootstrapServers = bootstrapServers, Topic = topic };
        foreach (var (key, value) in settings.Kafka.Producer)
        {
            options.Settings[key] = value;
        }

        return options;
    }

    private static IObservable<IReadOnlyList<SourceMessage>> ReadSource(KafkaSource source) =>
        Observable.Create<IReadOnlyList<SourceMessage>>(async (observer, ct) =>
        {
            var reader = source.Batches;
            while (await reader.WaitToReadAsync(ct))
            {
                while (reader.TryRead(out var batch))
                {
                    var messages = new SourceMessage[batch.Records.Count];
                    for (var i = 0; i < messages.Length; i++)
                    {
                        var r = batch.Records[i];
                        messages[i] = new SourceMessage(r.Topic, r.Partition, r.Offset, r.Value);
                    }

                    observer.OnNext(messages);
                }
            }

            observer.OnCompleted();
        });
}
