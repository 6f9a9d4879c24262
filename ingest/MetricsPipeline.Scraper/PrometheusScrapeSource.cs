using System.Buffers;
using MetricsPipeline.Ingest.LineProtocol;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace MetricsPipeline.Scraper;

/// <summary>
/// Scrapes every target of <see cref="PrometheusScrapeOptions"/> on its interval (timer from the injected
/// <see cref="TimeProvider"/>) and hands each point as a line to a callback (e.g. the Kafka line producer).
/// Start with <see cref="Start"/>; dispose to stop (idempotent, never throws). Counters are thread-safe.
/// </summary>
public sealed class PrometheusScrapeSource : IAsyncDisposable
{
    private readonly PrometheusScrapeOptions options;
    private readonly ScrapedLineCallback output;
    private readonly PrometheusScraper scraper;
    private readonly HttpClient client;
    private readonly TimeProvider clock;
    private readonly ILogger logger;
    private readonly CancellationTokenSource stop = new();
    private readonly List<Task> loops = [];
    private long scrapes;
    private long failures;
    private long lines;
    private long unwritable;
    private int disposed;

    /// <summary>Creates the source; nothing runs before <see cref="Start"/>.</summary>
    public PrometheusScrapeSource(PrometheusScrapeOptions options, ScrapedLineCallback output, TimeProvider? timeProvider = null, ILogger<PrometheusScrapeSource>? logger = null, HttpMessageHandler? handler = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(output);
        this.options = options;
        this.output = output;
        clock = timeProvider ?? TimeProvider.System;
        this.logger = logger ?? NullLogger<PrometheusScrapeSource>.Instance;
        client = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false);
        client.Timeout = System.Threading.Timeout.InfiniteTimeSpan; // the scraper applies options.Timeout per scrape
        scraper = new PrometheusScraper(client, options, clock);
    }

    /// <summary>Scrapes completed (successful or not).</summary>
    public long Scrapes => Interlocked.Read(ref scrapes);

    /// <summary>Scrapes that failed (HTTP error, timeout, too large).</summary>
    public long Failures => Interlocked.Read(ref failures);

    /// <summary>Lines handed to the callback.</summary>
    public long Lines => Interlocked.Read(ref lines);

    /// <summary>Points skipped because line protocol cannot represent one of their names or values.</summary>
    public long Unwritable => Interlocked.Read(ref unwritable);

    /// <summary>Raised after each scrape with its result (on a pool thread); handlers must not throw.</summary>
    public event Action<ScrapeResult>? Scraped;

    /// <summary>Starts one loop per target: scrape now, then every <see cref="PrometheusScrapeOptions.Interval"/>.</summary>
    public void Start()
    {
        foreach (var target in options.Targets)
        {
            loops.Add(Task.Run(() => LoopAsync(target)));
        }
    }

    /// <summary>Scrapes <paramref name="target"/> once and emits its lines; returns the result.</summary>
    public async Task<ScrapeResult> ScrapeOnceAsync(Uri target, CancellationToken cancellationToken = default)
    {
        var result = await scraper.ScrapeAsync(target, cancellationToken).ConfigureAwait(false);
        Interlocked.Increment(ref scrapes);
        if (!result.Success)
        {
            Interlocked.Increment(ref failures);
            logger.LogWarning("Scrape of {Target} failed: {Error}", target, result.Error);
        }

        var buffer = new ArrayBufferWriter<byte>(256);
        foreach (var point in result.Points)
        {
            buffer.ResetWrittenCount();
            try
            {
                LineProtocolWriter.Write(point, buffer);
            }
            catch (ArgumentException ex)
            {
                // A label line protocol cannot carry (e.g. a value ending in an odd run of backslashes).
                Interlocked.Increment(ref unwritable);
                logger.LogDebug(ex, "Skipped a point of {Target} that line protocol cannot carry.", target);
                continue;
            }

            var reader = new LineProtocolReader(buffer.WrittenSpan);
            if (reader.MoveNext() && reader.IsValid)
            {
                output(reader.Current.SeriesKey, buffer.WrittenSpan);
                Interlocked.Increment(ref lines);
            }
        }

        Scraped?.Invoke(result);
        return result;
    }

    private async Task LoopAsync(Uri target)
    {
        using var timer = new PeriodicTimer(options.Interval, clock);
        try
        {
            do
            {
                try
                {
                    await ScrapeOnceAsync(target, stop.Token).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    logger.LogError(ex, "Scraping {Target} failed unexpectedly.", target);
                }
            }
            while (await timer.WaitForNextTickAsync(stop.Token).ConfigureAwait(false));
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    /// <summary>Stops the loops (an in-flight scrape is cancelled) and releases the HTTP client. Idempotent; never throws.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        await stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll(loops).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        client.Dispose();
        stop.Dispose();
    }
}
