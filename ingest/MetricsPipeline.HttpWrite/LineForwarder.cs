using System.Buffers;
using System.Buffers.Text;
using MetricsPipeline.Ingest.LineProtocol;
using MetricsPipeline.Ingest.Model;

namespace MetricsPipeline.HttpWrite;

/// <summary>
/// Validates a write payload line by line and forwards every valid line to an <see cref="ILineTarget"/>, rewritten
/// with an explicit nanosecond timestamp (the pipeline's topic carries nanoseconds only): the request's precision
/// is applied, and a line without a timestamp gets the server's time, as InfluxDB does. Bad lines do not stop the
/// rest of the payload. Thread-safe (no mutable state besides the shared guard and statistics).
/// </summary>
public sealed class LineForwarder
{
    /// <summary>The reason code of a line that is not valid UTF-8 (InfluxDB stores names and strings as UTF-8).</summary>
    public const string InvalidUtf8 = "invalid_utf8";

    private const int MaxQuotedLine = 256;
    private readonly ILineTarget target;
    private readonly HttpWriteOptions options;
    private readonly SeriesGuard guard;
    private readonly HttpWriteStatistics statistics;
    private readonly TimeProvider timeProvider;

    /// <summary>Creates a forwarder.</summary>
    public LineForwarder(ILineTarget target, HttpWriteOptions options, HttpWriteStatistics statistics, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(statistics);
        this.target = target;
        this.options = options;
        this.statistics = statistics;
        this.timeProvider = timeProvider ?? TimeProvider.System;
        guard = new SeriesGuard(options);
    }

    /// <summary>Forwards the valid lines of <paramref name="payload"/> and reports the rest.</summary>
    /// <param name="payload">Line protocol (already decompressed).</param>
    /// <param name="precision">The precision of the payload's timestamps.</param>
    /// <param name="source">Where the payload came from, for dead letters (e.g. <c>http:/api/v2/write</c>).</param>
    public WriteOutcome Forward(ReadOnlySpan<byte> payload, TimestampPrecision precision, string source)
    {
        var nowNs = (timeProvider.GetUtcNow() - DateTimeOffset.UnixEpoch).Ticks * 100;
        var accepted = 0;
        string? firstError = null;
        List<DeadLetter>? letters = null;
        var buffer = ArrayPool<byte>.Shared.Rent(options.Limits.MaxLineBytes + 32);
        try
        {
            var reader = new LineProtocolReader(payload, precision, options.Limits);
            while (reader.MoveNext())
            {
                if (!reader.IsValid)
                {
                    var error = reader.Error;
                    var letter = error.ToDeadLetter(payload, source);
                    firstError ??= $"unable to parse '{Quote(letter.Payload.Span)}': {error.Describe()}";
                    (letters ??= []).Add(letter);
                    statistics.Rejected(error.ReasonCode);
                    continue;
                }

                var line = reader.Current;
                string? detail = null;
                var reason = System.Text.Unicode.Utf8.IsValid(line.RawLine) ? guard.Check(line, out detail) : InvalidUtf8;
                detail ??= "line is not valid UTF-8";
                if (reason is not null)
                {
                    var raw = line.RawLine.ToArray();
                    firstError ??= $"unable to parse '{Quote(raw)}': line {line.LineNumber}: {detail}";
                    (letters ??= []).Add(new DeadLetter("parse", reason, $"line {line.LineNumber}: {detail}", raw, line.LineNumber, 1, source));
                    statistics.Rejected(reason);
                    continue;
                }

                target.Append(line.SeriesKey, Normalize(line, nowNs, buffer));
                accepted++;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        statistics.Accepted(accepted);
        return new WriteOutcome(accepted, letters?.Count ?? 0, firstError, (IReadOnlyList<DeadLetter>?)letters ?? []);
    }

    /// <summary>Copies the line without its timestamp, then a space, the timestamp in nanoseconds and <c>\n</c>.</summary>
    private static ReadOnlySpan<byte> Normalize(ParsedLine line, long nowNs, byte[] buffer)
    {
        var raw = line.RawLine;
        var body = raw;
        if (line.HasTimestamp)
        {
            // The timestamp is the last token (digits only), so the last space precedes it.
            body = raw[..raw.LastIndexOf((byte)' ')];
        }

        body.CopyTo(buffer);
        var length = body.Length;
        buffer[length++] = (byte)' ';
        Utf8Formatter.TryFormat(line.HasTimestamp ? line.TimestampNs : nowNs, buffer.AsSpan(length), out var written);
        length += written;
        buffer[length++] = (byte)'\n';
        return buffer.AsSpan(0, length);
    }

    private static string Quote(ReadOnlySpan<byte> line) =>
        System.Text.Encoding.UTF8.GetString(line[..Math.Min(line.Length, MaxQuotedLine)]);
}
