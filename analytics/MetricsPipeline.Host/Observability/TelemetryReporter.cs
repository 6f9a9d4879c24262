using MetricsPipeline.Host.Hosting;
using Microsoft.Extensions.Logging;

namespace MetricsPipeline.Host.Observability;

/// <summary>
/// Writes the pipeline's own telemetry as <c>pipeline</c> points into the pipeline's outputs (InfluxDB, files) every
/// <see cref="Interval"/> of processing time, so the Pipeline-health dashboard reads the same numbers as
/// <c>/metrics</c>. The reader decides when (this timer); the existing sinks decide where.
/// </summary>
public sealed class TelemetryReporter : IAsyncDisposable
{
    private readonly AnalyticsService _analytics;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ITimer _timer;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private int _disposed;
    private long _reports;

    /// <summary>Starts reporting every <paramref name="interval"/> (the default is 10 s).</summary>
    public TelemetryReporter(AnalyticsService analytics, ILogger logger, TimeProvider? time = null, TimeSpan? interval = null)
    {
        _analytics = analytics ?? throw new ArgumentNullException(nameof(analytics));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _time = time ?? TimeProvider.System;
        Interval = interval ?? TimeSpan.FromSeconds(10);
        _timer = _time.CreateTimer(_ => _ = ReportAsync(), null, Interval, Interval);
    }

    /// <summary>The reporting period. The default is 10 s.</summary>
    public TimeSpan Interval { get; }

    /// <summary>Reports written so far.</summary>
    public long Reports => Interlocked.Read(ref _reports);

    /// <summary>Collects and enqueues one report now; never throws (a failure is logged).</summary>
    public async Task ReportAsync()
    {
        if (Volatile.Read(ref _disposed) == 1 || !await _gate.WaitAsync(0))
        {
            return;
        }

        try
        {
            var now = _time.GetUtcNow();
            var ns = (now - DateTimeOffset.UnixEpoch).Ticks * 100;
            var points = PipelineTelemetryPoints.ToPoints(PipelineTelemetry.Collect(_analytics), ns);
            foreach (var (_, sink) in _analytics.Sinks)
            {
                // Not awaited for acknowledgement: telemetry holds no offsets, and the sink retries on its own.
                _ = await sink.EnqueueAsync(points);
            }

            Interlocked.Increment(ref _reports);
        }
        catch (Exception ex)
        {
            _logger.LogDebug(ex, "Writing the pipeline's telemetry failed");
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Writes a last report and stops the timer; call before stopping the pipeline. Idempotent; never throws.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Volatile.Read(ref _disposed) == 1)
        {
            return;
        }

        await _timer.DisposeAsync();
        await ReportAsync();
        Interlocked.Exchange(ref _disposed, 1);
    }
}
