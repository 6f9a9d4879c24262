using System.Buffers;
using System.Globalization;
using MetricsPipeline.Ingest.LineProtocol;
using MetricsPipeline.Ingest.Model;

namespace MetricsPipeline.Fleet;

/// <summary>
/// A simulated fleet of services × instances that reports the <see cref="FleetSchema"/> measurements for any
/// interval of event time. Deterministic: the points of an interval depend only on the settings (seed included),
/// the interval start and the current instance counts, never on which intervals were generated before.
/// <para>Thread-safety: <see cref="SetInstanceCount"/> and <see cref="GetInstanceCount"/> may be called from any
/// thread at any time (a change applies from the next interval generated). Generation calls are serialised by
/// an internal lock; a <see cref="LineCallback"/> must not generate from the same simulator.</para>
/// </summary>
public sealed class FleetSimulator
{
    private static readonly byte[] DummyFieldSuffix = " x=1i\n"u8.ToArray();

    private readonly ServiceState[] _services;
    private readonly Dictionary<string, ServiceState> _byName;
    private readonly Lock _countLock = new();
    private readonly Lock _generateLock = new();
    private readonly LineBuffer _line = new();
    private readonly long _intervalNs;
    private readonly double _intervalSeconds;

    /// <summary>Creates a simulator; every service starts with <see cref="FleetOptions.InstancesPerService"/> instances.</summary>
    /// <exception cref="ArgumentException">A setting is invalid; the message names it.</exception>
    public FleetSimulator(FleetOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        _services = options.Services.Select(p => new ServiceState(p, options.Incidents, options.InstancesPerService)).ToArray();
        _byName = _services.ToDictionary(s => s.Profile.Name, StringComparer.Ordinal);
        _intervalNs = FleetTime.ToNanoseconds(options.Interval);
        _intervalSeconds = options.Interval.TotalSeconds;
        ServiceNames = _services.Select(s => s.Profile.Name).ToArray();
    }

    /// <summary>The settings (do not change them after construction).</summary>
    public FleetOptions Options { get; }

    /// <summary>The names of the simulated services, in configuration order.</summary>
    public IReadOnlyList<string> ServiceNames { get; }

    /// <summary>The reporting interval in nanoseconds.</summary>
    public long IntervalNanoseconds => _intervalNs;

    /// <summary>Sets the number of instances of <paramref name="service"/>; the service's load is then split over
    /// them from the next interval on. Thread-safe.</summary>
    /// <exception cref="ArgumentException">No such service.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is below 1 or above
    /// <see cref="FleetOptions.MaxInstancesPerService"/>.</exception>
    public void SetInstanceCount(string service, int count)
    {
        var state = Find(service);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, Options.MaxInstancesPerService);
        lock (_countLock)
        {
            Volatile.Write(ref state.InstanceCount, count);
        }
    }

    /// <summary>Returns the current number of instances of <paramref name="service"/>. Thread-safe.</summary>
    /// <exception cref="ArgumentException">No such service.</exception>
    public int GetInstanceCount(string service) => Volatile.Read(ref Find(service).InstanceCount);

    /// <summary>
    /// Generates the points of the interval starting at <paramref name="intervalStartNs"/> (Unix ns): one
    /// <c>service</c> point per instance at the interval start, then that instance's <c>http_request</c> samples.
    /// Allocating; meant for tests and tools. Produces exactly the points <see cref="WriteInterval"/> writes.
    /// </summary>
    public IReadOnlyList<MetricPoint> GenerateInterval(long intervalStartNs)
    {
        var points = new List<MetricPoint>();
        lock (_generateLock)
        {
            foreach (var s in _services)
            {
                var count = Volatile.Read(ref s.InstanceCount);
                EnsureKeys(s, count);
                var load = FleetModel.Load(Options, s, intervalStartNs);
                var degradation = FleetModel.Degradation(s, intervalStartNs);
                for (var i = 0; i < count; i++)
                {
                    FleetModel.Instance(Options, s, i, count, load, degradation, intervalStartNs, _intervalSeconds, out var x);
                    var tags = s.Tags[i];
                    points.Add(new MetricPoint(FleetSchema.ServiceMeasurement, tags,
                    [
                        new(FleetSchema.CpuPercent, FieldValue.FromDouble(x.CpuPercent)),
                        new(FleetSchema.MemoryPercent, FieldValue.FromDouble(x.MemoryPercent)),
                        new(FleetSchema.RequestRate, FieldValue.FromDouble(x.RequestRate)),
                        new(FleetSchema.ErrorRate, FieldValue.FromDouble(x.ErrorRate)),
                        new(FleetSchema.QueueDepth, FieldValue.FromInt64(x.QueueDepth)),
                        new(FleetSchema.DbConnections, FieldValue.FromInt64(x.DbConnections)),
                        new(FleetSchema.DbPoolSize, FieldValue.FromInt64(x.DbPoolSize)),
                        new(FleetSchema.ActiveUsers, FieldValue.FromInt64(x.ActiveUsers)),
                        new(FleetSchema.Instances, FieldValue.FromInt64(x.Instances)),
                    ], intervalStartNs));

                    var sampler = new LatencySampler(Options, s, i, intervalStartNs, _intervalNs, x.MedianLatencyMs);
                    for (var j = 0; j < Options.LatencySamplesPerInterval; j++)
                    {
                        var latency = sampler.Next(j, out var ts);
                        points.Add(new MetricPoint(FleetSchema.HttpRequestMeasurement, tags,
                            [new(FleetSchema.LatencyMs, FieldValue.FromDouble(latency))], ts));
                    }
                }
            }
        }

        return points;
    }

    /// <summary>
    /// Writes the interval starting at <paramref name="intervalStartNs"/> (Unix ns) as line protocol, one call of
    /// <paramref name="callback"/> per line, in the same order and with the same bytes as
    /// <c>LineProtocolWriter.ToLine</c> of <see cref="GenerateInterval"/>'s points. Allocates nothing per line in
    /// steady state (series keys are built once per instance).
    /// </summary>
    /// <returns>The number of lines written.</returns>
    public int WriteInterval(long intervalStartNs, LineCallback callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var lines = 0;
        lock (_generateLock)
        {
            var line = _line;
            foreach (var s in _services)
            {
                var count = Volatile.Read(ref s.InstanceCount);
                EnsureKeys(s, count);
                var load = FleetModel.Load(Options, s, intervalStartNs);
                var degradation = FleetModel.Degradation(s, intervalStartNs);
                for (var i = 0; i < count; i++)
                {
                    FleetModel.Instance(Options, s, i, count, load, degradation, intervalStartNs, _intervalSeconds, out var x);
                    var key = s.ServiceKeys[i];
                    line.Start(key);
                    line.Field(" cpu_percent="u8, x.CpuPercent);
                    line.Field(",memory_percent="u8, x.MemoryPercent);
                    line.Field(",request_rate="u8, x.RequestRate);
                    line.Field(",error_rate="u8, x.ErrorRate);
                    line.Field(",queue_depth="u8, x.QueueDepth);
                    line.Field(",db_connections="u8, x.DbConnections);
                    line.Field(",db_pool_size="u8, x.DbPoolSize);
                    line.Field(",active_users="u8, x.ActiveUsers);
                    line.Field(",instances="u8, x.Instances);
                    line.End(intervalStartNs);
                    callback(key, line.Written);
                    lines++;

                    var requestKey = s.RequestKeys[i];
                    var sampler = new LatencySampler(Options, s, i, intervalStartNs, _intervalNs, x.MedianLatencyMs);
                    for (var j = 0; j < Options.LatencySamplesPerInterval; j++)
                    {
                        var latency = sampler.Next(j, out var ts);
                        line.Start(requestKey);
                        line.Field(" latency_ms="u8, latency);
                        line.End(ts);
                        callback(requestKey, line.Written);
                        lines++;
                    }
                }
            }
        }

        return lines;
    }

    private ServiceState Find(string service)
    {
        ArgumentNullException.ThrowIfNull(service);
        return _byName.TryGetValue(service, out var state)
            ? state
            : throw new ArgumentException($"The fleet has no service named '{service}'.", nameof(service));
    }

    /// <summary>Builds the series keys of new instances; called under the generation lock.</summary>
    private void EnsureKeys(ServiceState s, int count)
    {
        for (var i = s.ServiceKeys.Count; i < count; i++)
        {
            KeyValuePair<string, string>[] tags =
            [
                new(FleetSchema.InstanceTag, s.Profile.Name + "-" + i.ToString(CultureInfo.InvariantCulture)),
                new(FleetSchema.RegionTag, Options.Region),
                new(FleetSchema.ServiceTag, s.Profile.Name),
            ];
            s.Tags.Add(tags);
            s.ServiceKeys.Add(SeriesKey(FleetSchema.ServiceMeasurement, tags));
            s.RequestKeys.Add(SeriesKey(FleetSchema.HttpRequestMeasurement, tags));
        }
    }

    /// <summary>Escapes the key with the project's own serializer, so both output paths agree byte for byte.</summary>
    private static byte[] SeriesKey(string measurement, KeyValuePair<string, string>[] tags)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        var point = new MetricPoint(measurement, tags, [new("x", FieldValue.FromInt64(1))], null);
        LineProtocolWriter.Write(point, buffer);
        return buffer.WrittenSpan[..^DummyFieldSuffix.Length].ToArray();
    }
}
