using System.Buffers;
using MetricsPipeline.Ingest.LineProtocol;
using MetricsPipeline.Ingest.Model;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace MetricsPipeline.Agent;

/// <summary>
/// The host agent: every <see cref="HostAgentOptions.Interval"/> it collects (<see cref="HostCollector"/>), writes the
/// lines as batches into the <see cref="DiskBuffer"/>, and a separate loop sends the buffer oldest first through an
/// <see cref="IBatchSender"/>, deleting a batch only once acknowledged and backing off exponentially (capped) while
/// sending fails, so an outage fills the bounded buffer and its end drains it in order. Also reports itself as
/// <c>agent</c> (buffered batches/bytes, dropped batches, collection failures). Start with <see cref="Start"/>;
/// dispose to stop (idempotent, never throws). Time comes from the injected <see cref="TimeProvider"/>.
/// </summary>
public sealed class HostAgent : IAsyncDisposable
{
    private readonly HostAgentOptions options;
    private readonly IBatchSender sender;
    private readonly TimeProvider clock;
    private readonly ILogger logger;
    private readonly HostCollector collector;
    private readonly CancellationTokenSource stop = new();
    private readonly SemaphoreSlim pending = new(0);
    private Task collectLoop = Task.CompletedTask;
    private Task sendLoop = Task.CompletedTask;
    private long batchesSent;
    private long linesCollected;
    private int disposed;

    /// <summary>Creates the agent; opens (and resumes) the on-disk buffer.</summary>
    public HostAgent(HostAgentOptions options, IBatchSender sender, TimeProvider? timeProvider = null, ILogger<HostAgent>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(sender);
        this.options = options;
        this.sender = sender;
        clock = timeProvider ?? TimeProvider.System;
        this.logger = logger ?? NullLogger<HostAgent>.Instance;
        collector = new HostCollector(options);
        Buffer = new DiskBuffer(options.BufferDirectory, options.MaxBufferBytes);
    }

    /// <summary>The on-disk buffer (for inspection).</summary>
    public DiskBuffer Buffer { get; }

    /// <summary>Batches acknowledged by the sender.</summary>
    public long BatchesSent => Interlocked.Read(ref batchesSent);

    /// <summary>Lines collected so far.</summary>
    public long LinesCollected => Interlocked.Read(ref linesCollected);

    /// <summary>Starts collecting now and every interval, and the sending loop.</summary>
    public void Start()
    {
        collectLoop = Task.Run(CollectLoopAsync);
        sendLoop = Task.Run(SendLoopAsync);
    }

    /// <summary>Collects once and buffers the lines (what the loop does each interval); returns the number of lines.</summary>
    public int CollectOnce()
    {
        var ts = (clock.GetUtcNow() - DateTimeOffset.UnixEpoch).Ticks * 100;
        var points = collector.Collect(ts);
        points.Add(new MetricPoint(
            "agent",
            [new("host", options.HostName)],
            [
                new("buffered_batches", FieldValue.FromInt64(Buffer.Count)),
                new("buffered_bytes", FieldValue.FromInt64(Buffer.Bytes)),
                new("dropped_batches", FieldValue.FromInt64(Buffer.Dropped)),
                new("collection_failures", FieldValue.FromInt64(collector.Failures)),
            ],
            ts));
        var batch = new ArrayBufferWriter<byte>(options.MaxBatchBytes);
        var line = new ArrayBufferWriter<byte>(256);
        var lines = 0;
        foreach (var point in points)
        {
            line.ResetWrittenCount();
            try
            {
                LineProtocolWriter.Write(point, line);
            }
            catch (ArgumentException ex)
            {
                logger.LogDebug(ex, "Skipped a point line protocol cannot carry ({Measurement}).", point.Measurement);
                continue;
            }

            if (batch.WrittenCount > 0 && batch.WrittenCount + line.WrittenCount > options.MaxBatchBytes)
            {
                Buffer.Add(batch.WrittenSpan);
                batch.ResetWrittenCount();
            }

            batch.Write(line.WrittenSpan);
            lines++;
        }

        if (batch.WrittenCount > 0)
        {
            Buffer.Add(batch.WrittenSpan);
        }

        Interlocked.Add(ref linesCollected, lines);
        pending.Release();
        return lines;
    }

    /// <summary>Sends buffered batches oldest first until the buffer is empty or a send fails; returns how many were sent.</summary>
    public async Task<int> DrainAsync(CancellationToken cancellationToken)
    {
        var sent = 0;
        while (Buffer.TryPeek(out var sequence, out var batch))
        {
            if (!await sender.TrySendAsync(batch, cancellationToken).ConfigureAwait(false))
            {
                break;
            }

            Buffer.Remove(sequence);
            Interlocked.Increment(ref batchesSent);
            sent++;
        }

        return sent;
    }

    private async Task CollectLoopAsync()
    {
        using var timer = new PeriodicTimer(options.Interval, clock);
        try
        {
            do
            {
                try
                {
                    CollectOnce();
                }
                catch (IOException ex)
                {
                    logger.LogError(ex, "Could not buffer a collection (disk full?).");
                }
            }
            while (await timer.WaitForNextTickAsync(stop.Token).ConfigureAwait(false));
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    private async Task SendLoopAsync()
    {
        var delay = options.MinRetryDelay;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                await pending.WaitAsync(stop.Token).ConfigureAwait(false);
                while (true)
                {
                    await DrainAsync(stop.Token).ConfigureAwait(false);
                    if (Buffer.Count == 0)
                    {
                        delay = options.MinRetryDelay;
                        break;
                    }

                    logger.LogWarning("Sending failed; {Batches} batches buffered on disk, retrying in {Delay}.", Buffer.Count, delay);
                    await Task.Delay(delay, clock, stop.Token).ConfigureAwait(false);
                    delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, options.MaxRetryDelay.Ticks));
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping; what is buffered stays on disk for the next run.
        }
    }

    /// <summary>Stops both loops; unsent batches stay on disk for the next run. Idempotent; never throws.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        await stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll(collectLoop, sendLoop).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Shutdown never throws.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            logger.LogWarning(ex, "The agent stopped with an error.");
        }

        stop.Dispose();
        pending.Dispose();
    }
}
