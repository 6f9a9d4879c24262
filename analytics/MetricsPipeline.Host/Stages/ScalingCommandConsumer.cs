using System.Text.Json;
using Confluent.Kafka;
using MetricsPipeline.Decisions.Commands;
using MetricsPipeline.Kafka.Native;
using Microsoft.Extensions.Logging;

namespace MetricsPipeline.Host.Stages;

/// <summary>
/// The demo's reference consumer of <c>scaling-commands</c>: a dedicated thread reads the topic from the earliest
/// offset and hands each <c>scaling-command/v1</c> message to a <see cref="ScalingCommandApplier"/>, which
/// deduplicates by id and sets the target's instance count. Malformed messages are logged and skipped.
/// </summary>
internal sealed class ScalingCommandConsumer : IAsyncDisposable
{
    private readonly IConsumer<string, byte[]> _consumer;
    private readonly ScalingCommandApplier _applier;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _thread;
    private readonly long[] _outcomes = new long[Enum.GetValues<ApplyOutcome>().Length];
    private long _received;
    private long _malformed;
    private int _disposed;

    private ScalingCommandConsumer(IConsumer<string, byte[]> consumer, ScalingCommandApplier applier, ILogger logger)
    {
        _consumer = consumer;
        _applier = applier;
        _logger = logger;
        _thread = new Thread(Run) { Name = "scaling-commands", IsBackground = true };
    }

    /// <summary>Messages read from the topic.</summary>
    public long Received => Interlocked.Read(ref _received);

    /// <summary>Commands that changed an instance count.</summary>
    public long Applied => Interlocked.Read(ref _outcomes[(int)ApplyOutcome.Applied]);

    /// <summary>Messages that were not a readable <c>scaling-command/v1</c> and were skipped.</summary>
    public long Malformed => Interlocked.Read(ref _malformed);

    /// <summary>How many received commands ended in each outcome, every outcome listed (zeros included).</summary>
    public IReadOnlyDictionary<ApplyOutcome, long> Outcomes =>
        Enum.GetValues<ApplyOutcome>().ToDictionary(outcome => outcome, outcome => Interlocked.Read(ref _outcomes[(int)outcome]));

    /// <summary>Subscribes to <paramref name="topic"/> and starts consuming.</summary>
    /// <param name="bootstrapServers">The brokers.</param>
    /// <param name="topic">The scaling topic.</param>
    /// <param name="embedded">Whether the broker is librdkafka's mock cluster (short session timeouts, or every join stalls).</param>
    /// <param name="applier">Where commands go.</param>
    /// <param name="logger">Logging.</param>
    public static ScalingCommandConsumer Start(string bootstrapServers, string topic, bool embedded, ScalingCommandApplier applier, ILogger logger)
    {
        LibrdkafkaLoader.EnsureLoaded();
        var config = new ConsumerConfig
        {
            BootstrapServers = bootstrapServers,
            GroupId = "scaling-command-applier",
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = true,
        };
        if (embedded)
        {
            config.Set("session.timeout.ms", "3000");
            config.Set("heartbeat.interval.ms", "500");
        }

        var consumer = new ConsumerBuilder<string, byte[]>(config).Build();
        consumer.Subscribe(topic);
        var result = new ScalingCommandConsumer(consumer, applier, logger);
        result._thread.Start();
        return result;
    }

    /// <summary>Stops consuming and leaves the group. Idempotent; never throws.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _stop.CancelAsync();
        await Task.Run(_thread.Join);
        try
        {
            _consumer.Close();
        }
        catch (KafkaException ex)
        {
            _logger.LogWarning(ex, "Closing the scaling-command consumer failed");
        }

        _consumer.Dispose();
        _stop.Dispose();
    }

    private void Run()
    {
        while (!_stop.IsCancellationRequested)
        {
            ConsumeResult<string, byte[]>? record;
            try
            {
                record = _consumer.Consume(TimeSpan.FromMilliseconds(200));
            }
            catch (ConsumeException ex)
            {
                _logger.LogWarning(ex, "Consuming scaling commands failed; retrying");
                continue;
            }

            if (record?.Message?.Value is not { } value)
            {
                continue;
            }

            Interlocked.Increment(ref _received);
            try
            {
                if (ScalingCommandJson.Parse(System.Text.Encoding.UTF8.GetString(value)) is { } command)
                {
                    Interlocked.Increment(ref _outcomes[(int)_applier.Apply(command)]);
                }
                else
                {
                    Interlocked.Increment(ref _malformed);
                    _logger.LogWarning("Skipping a scaling command message that is JSON null at offset {Offset}", record.Offset.Value);
                }
            }
            catch (Exception ex) when (ex is JsonException or ArgumentException)
            {
                Interlocked.Increment(ref _malformed);
                _logger.LogWarning(ex, "Skipping a malformed scaling command at offset {Offset}", record.Offset.Value);
            }
        }
    }
}
