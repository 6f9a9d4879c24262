using System.Reactive.Concurrency;
using System.Reactive.Linq;
using System.Reactive.Subjects;
using MetricsPipeline.Analytics.Pipeline;
using MetricsPipeline.Analytics.Telemetry;
using MetricsPipeline.Analytics.Windows;
using MetricsPipeline.Ingest.Model;
using MetricsPipeline.Kafka;
using MetricsPipeline.Sinks.Batching;
using MetricsPipeline.Sinks.Files;
using MetricsPipeline.Sinks.InfluxDb;
using Microsoft.Extensions.Logging;

namespace MetricsPipeline.Host.Hosting;

/// <summary>
/// The running analytics pipeline: <c>KafkaSource</c> → <c>.WindowAggregate()</c> → <c>.WriteAggregates()</c> into
/// InfluxDB and/or line-protocol files, with offsets stored only after every sink acknowledged the windows a
/// record fed. <see cref="StopAsync"/> stops consuming, closes every open window, waits for the sinks, stores and
/// commits the offsets, and leaves the consumer group.
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
    private int _stopped;
    private long _stageErrors;

    private AnalyticsService(
        PipelineSettings settings,
        string bootstrapServers,
        ILoggerFactory loggerFactory,
        TimeProvider time,
        IReadOnlyList<IWindowStage> stages)
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
        var windows = ReadSource(_source).WindowAggregate(Aggregator, _deadLetters, settings.TickInterval, scheduler);
        if (settings.Rollups is { } rollups)
        {
            // 1 min → 5 min → 1 h by merging sketches; each result carries its level's retention policy.
            windows = windows.Rollup(new RollupAggregator(rollups));
        }

        _output = windows
            .WriteAggregates(_sink, settings.Windows.Quantiles, Acknowledge, stages, OnStageFailed)
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

    /// <summary>Starts the pipeline with the stages <see cref="WindowStageCatalog"/> configures.</summary>
    public static AnalyticsService Start(PipelineSettings settings, string bootstrapServers, ILoggerFactory loggerFactory, TimeProvider? time = null, Microsoft.Extensions.Configuration.IConfiguration? configuration = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        var clock = time ?? TimeProvider.System;
        var stages = WindowStageCatalog.Create(new WindowStageContext(settings, configuration, bootstrapServers, loggerFactory, clock)).ToList();
        return new AnalyticsService(settings, bootstrapServers, loggerFactory, clock, stages);
    }

    /// <summary>
    /// Stops consuming, closes every open window, waits until the outputs acknowledged them, commits the offsets
    /// and leaves the consumer group. Idempotent; never throws (a failure is logged and left in <see cref="Completion"/>).
    /// </summary>
    public async Task StopAsync(TimeSpan timeout)
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1)
        {
            await Completion.ContinueWith(_ => { }, TaskScheduler.Default);
            return;
        }

        try
        {
            await _source.StopConsumingAsync();
            await Completion.WaitAsync(timeout);
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
        _connection.Dispose();
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await StopAsync(TimeSpan.FromSeconds(30));

    private void OnStageFailed(IWindowStage stage, Exception error)
    {
        Interlocked.Increment(ref _stageErrors);
        _logger.LogError(error, "Window stage {Stage} failed on a batch; its output for that batch is skipped", stage.Name);
    }

    private void Acknowledge(IReadOnlyList<OffsetCommit> commits)
    {
        foreach (var commit in commits)
        {
            _source.Acknowledge(commit.Topic, commit.Partition, commit.NextOffset);
        }
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
