using System.Globalization;
using MetricsPipeline.Ingest.LineProtocol;
using MetricsPipeline.Ingest.Model;
using MetricsPipeline.Sinks.Batching;
using MetricsPipeline.Sinks.InfluxDb;

namespace MetricsPipeline.Sinks.Files;

/// <summary>
/// Appends batches as line protocol (nanosecond timestamps) to one file per UTC hour of <em>event</em> time,
/// named <c>{prefix}-yyyyMMdd-HH.lp</c>, and flushes them to disk (fsync) before acknowledging.
/// </summary>
/// <remarks>
/// Hourly files by event time (not one file per run) make a replay of a time range a matter of picking files, and
/// keep files bounded on long runs. Points without a timestamp are filed under the current hour and written without
/// one. Re-running over the same hour appends to the same file; a batch retried after a failure may therefore leave
/// duplicate lines, which InfluxDB deduplicates on import (same series and timestamp). Points that cannot be
/// serialised (no field, NaN) are skipped and counted in <see cref="InvalidPointsSkipped"/>. Thread-safe: concurrent
/// calls are serialised so lines never interleave.
/// </remarks>
public sealed class LineProtocolFileWriter : IBatchWriter<MetricPoint>
{
    private const long NanosecondsPerHour = 3_600_000_000_000;
    private readonly LineProtocolFileOptions _options;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);
    private readonly List<MetricPoint> _group = [];
    private long _invalidPointsSkipped;

    /// <summary>Creates the writer and its directory.</summary>
    /// <param name="options">Where to write.</param>
    /// <param name="timeProvider">Clock for points without a timestamp; the default is the system clock.</param>
    public LineProtocolFileWriter(LineProtocolFileOptions options, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.Directory);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.FilePrefix);
        _options = options;
        _time = timeProvider ?? TimeProvider.System;
        System.IO.Directory.CreateDirectory(options.Directory);
    }

    /// <summary>How many points were skipped because they cannot be written as line protocol.</summary>
    public long InvalidPointsSkipped => Interlocked.Read(ref _invalidPointsSkipped);

    /// <summary>The path of the file that holds points of the hour containing <paramref name="timestampNs"/>.</summary>
    /// <param name="timestampNs">An event time in Unix nanoseconds.</param>
    /// <returns>The full path.</returns>
    public string PathFor(long timestampNs)
    {
        var hour = DateTimeOffset.UnixEpoch.AddTicks(FloorHour(timestampNs) / 100);
        var name = string.Create(CultureInfo.InvariantCulture, $"{_options.FilePrefix}-{hour:yyyyMMdd-HH}.lp");
        return Path.Combine(_options.Directory, name);
    }

    /// <inheritdoc />
    public async Task WriteBatchAsync(IReadOnlyList<MetricPoint> batch, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(batch);
        await _oneAtATime.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var now = (_time.GetUtcNow() - DateTimeOffset.UnixEpoch).Ticks * 100;
            using var buffer = new PooledByteBuffer();
            var start = 0;
            while (start < batch.Count)
            {
                // Consecutive points of the same hour go in one append; a batch usually spans one hour.
                var hour = FloorHour(batch[start].TimestampNs ?? now);
                var end = start + 1;
                while (end < batch.Count && FloorHour(batch[end].TimestampNs ?? now) == hour)
                {
                    end++;
                }

                _group.Clear();
                for (var i = start; i < end; i++)
                {
                    _group.Add(batch[i]);
                }

                buffer.Clear();
                var written = InfluxDbWriter.Serialize(_group, buffer, TimestampPrecision.Nanoseconds);
                Interlocked.Add(ref _invalidPointsSkipped, end - start - written);
                if (buffer.Length > 0)
                {
                    await AppendAsync(PathFor(hour), buffer.WrittenMemory, ct).ConfigureAwait(false);
                }

                start = end;
            }
        }
        finally
        {
            _group.Clear();
            _oneAtATime.Release();
        }
    }

    private static async Task AppendAsync(string path, ReadOnlyMemory<byte> bytes, CancellationToken ct)
    {
        await using var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read, bufferSize: 1, useAsync: true);
        await stream.WriteAsync(bytes, ct).ConfigureAwait(false);
        // Acknowledged means durable: push the bytes through the OS cache before returning.
        stream.Flush(flushToDisk: true);
    }

    private static long FloorHour(long timestampNs) =>
        timestampNs >= 0 ? timestampNs - (timestampNs % NanosecondsPerHour) : timestampNs - (((timestampNs % NanosecondsPerHour) + NanosecondsPerHour) % NanosecondsPerHour);
}
