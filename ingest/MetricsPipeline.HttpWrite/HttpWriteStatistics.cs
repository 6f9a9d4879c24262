using System.Collections.Concurrent;

namespace MetricsPipeline.HttpWrite;

/// <summary>Counters of the write endpoint (<c>pipeline_http_*</c>). Thread-safe; read at any time.</summary>
public sealed class HttpWriteStatistics
{
    private readonly ConcurrentDictionary<string, long> rejectedByReason = new(StringComparer.Ordinal);
    private long requests;
    private long linesAccepted;
    private long linesRejected;
    private long throttled;
    private long unauthorized;
    private long tooLarge;
    private long inFlight;

    /// <summary>Write requests received (any outcome).</summary>
    public long Requests => Interlocked.Read(ref requests);

    /// <summary>Lines forwarded to the target.</summary>
    public long LinesAccepted => Interlocked.Read(ref linesAccepted);

    /// <summary>Lines rejected (parse errors, type conflicts, cardinality), each also sent as a dead letter.</summary>
    public long LinesRejected => Interlocked.Read(ref linesRejected);

    /// <summary>Requests answered 429 because <see cref="HttpWriteOptions.MaxConcurrentWrites"/> were in progress.</summary>
    public long Throttled => Interlocked.Read(ref throttled);

    /// <summary>Requests answered 401.</summary>
    public long Unauthorized => Interlocked.Read(ref unauthorized);

    /// <summary>Requests answered 413.</summary>
    public long TooLarge => Interlocked.Read(ref tooLarge);

    /// <summary>Write requests currently holding one of the <see cref="HttpWriteOptions.MaxConcurrentWrites"/> slots.</summary>
    public long InFlight => Interlocked.Read(ref inFlight);

    /// <summary>Rejected lines per reason code (<c>invalid_integer</c>, <c>field_type_conflict</c>, ...). A snapshot.</summary>
    public IReadOnlyDictionary<string, long> RejectedByReason => new Dictionary<string, long>(rejectedByReason, StringComparer.Ordinal);

    internal void Request() => Interlocked.Increment(ref requests);

    internal void Accepted(long lines) => Interlocked.Add(ref linesAccepted, lines);

    internal void Rejected(string reason)
    {
        Interlocked.Increment(ref linesRejected);
        rejectedByReason.AddOrUpdate(reason, 1, static (_, n) => n + 1);
    }

    internal void Enter() => Interlocked.Increment(ref inFlight);

    internal void Leave() => Interlocked.Decrement(ref inFlight);

    internal void Throttle() => Interlocked.Increment(ref throttled);

    internal void Unauthorize() => Interlocked.Increment(ref unauthorized);

    internal void TooLargeBody() => Interlocked.Increment(ref tooLarge);
}
