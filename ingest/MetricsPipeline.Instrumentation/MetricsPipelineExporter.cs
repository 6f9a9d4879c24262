using System.Buffers;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace MetricsPipeline.Instrumentation;

/// <summary>
/// The exporter: a <see cref="MetricAggregator"/> read every <see cref="MetricsPipelineExporterOptions.ExportInterval"/>
/// (the reader decides when) into a bounded queue of batches (oldest dropped and counted when full), and one export
/// loop handing batches to an <see cref="IMetricsBatchExporter"/> (the exporter decides where) with capped
/// exponential backoff while it fails. Nothing here throws into the host application. Start with
/// <see cref="Start"/>; <see cref="DisposeAsync"/> exports a last batch (bounded by 5 s) and stops (idempotent).
/// </summary>
public sealed class MetricsPipelineExporter : IAsyncDisposable
{
    private readonly MetricsPipelineExporterOptions options;
    private readonly TimeProvider clock;
    private readonly ILogger logger;
    private readonly MetricAggregator aggregator;
    private readonly IMetricsBatchExporter exporter;
    private readonly Channel<(byte[] Batch, int Lines)> queue;
    private readonly CancellationTokenSource stop = new();
    private Task readLoop = Task.CompletedTask;
    private Task exportLoop = Task.CompletedTask;
    private int disposed;

    /// <summary>Creates the exporter and starts listening to instruments (nothing is exported before <see cref="Start"/>).</summary>
    public MetricsPipelineExporter(MetricsPipelineExporterOptions options, TimeProvider? timeProvider = null, ILogger<MetricsPipelineExporter>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.options = options;
        clock = timeProvider ?? TimeProvider.System;
        this.logger = logger ?? NullLogger<MetricsPipelineExporter>.Instance;
        aggregator = new MetricAggregator(options, Statistics, clock);
        exporter = options.ExporterFactory?.Invoke() ?? new KafkaMetricsBatchExporter(options);
        queue = Channel.CreateBounded<(byte[], int)>(
            new BoundedChannelOptions(Math.Max(1, options.MaxQueuedBatches)) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
            _ => Statistics.DroppedBatch());
    }

    /// <summary>The exporter's counters.</summary>
    public ExporterStatistics Statistics { get; } = new();

    /// <summary>Batches waiting in the queue.</summary>
    public int QueuedBatches => queue.Reader.Count;

    /// <summary>Starts the periodic reader and the export loop.</summary>
    public void Start()
    {
        readLoop = Task.Run(ReadLoopAsync);
        exportLoop = Task.Run(ExportLoopAsync);
    }

    /// <summary>Collects now and queues the batch (what the reader does each interval); returns the number of lines.</summary>
    public int CollectNow()
    {
        try
        {
            var buffer = new ArrayBufferWriter<byte>(4096);
            var lines = aggregator.Collect(buffer);
            if (lines > 0)
            {
                queue.Writer.TryWrite((buffer.WrittenSpan.ToArray(), lines));
            }

            return lines;
        }
#pragma warning disable CA1031 // Never throw into the host application.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            logger.LogWarning(ex, "Collecting metrics failed.");
            return 0;
        }
    }

    private async Task ReadLoopAsync()
    {
        using var timer = new PeriodicTimer(options.ExportInterval, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stop.Token).ConfigureAwait(false))
            {
                CollectNow();
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    private async Task ExportLoopAsync()
    {
        var delay = TimeSpan.FromSeconds(1);
        try
        {
            while (await queue.Reader.WaitToReadAsync(stop.Token).ConfigureAwait(false))
            {
                if (!queue.Reader.TryPeek(out var item))
                {
                    continue;
                }

                if (await TryExportAsync(item, stop.Token).ConfigureAwait(false))
                {
                    queue.Reader.TryRead(out _);
                    delay = TimeSpan.FromSeconds(1);
                    continue;
                }

                await Task.Delay(delay, clock, stop.Token).ConfigureAwait(false);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(60).Ticks));
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    private async Task<bool> TryExportAsync((byte[] Batch, int Lines) item, CancellationToken cancellationToken)
    {
        try
        {
            if (await exporter.ExportAsync(item.Batch, cancellationToken).ConfigureAwait(false))
            {
                Statistics.Exported(item.Lines);
                return true;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // An exporter bug must not kill the loop or reach the host application.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            logger.LogWarning(ex, "Exporting metrics failed.");
        }

        Statistics.ExportFailed();
        return false;
    }

    /// <summary>Collects a last time, tries for up to 5 s to export what is queued, and stops. Idempotent; never throws.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        await stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll(readLoop, exportLoop).ConfigureAwait(false);
            CollectNow();
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            while (queue.Reader.TryPeek(out var item) && await TryExportAsync(item, grace.Token).ConfigureAwait(false))
            {
                queue.Reader.TryRead(out _);
            }
        }
#pragma warning disable CA1031 // Shutdown never throws.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            logger.LogDebug(ex, "The final export did not complete.");
        }

        aggregator.Dispose();
        await exporter.DisposeAsync().ConfigureAwait(false);
        stop.Dispose();
    }
}
