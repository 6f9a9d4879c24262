namespace MetricsPipeline.Fleet;

/// <summary>
/// Draws the latency samples of one instance in one interval. Sample j gets a timestamp in its own slot
/// [start + j·slot, start + (j+1)·slot), so no two samples of a series share a timestamp (InfluxDB would keep
/// only the last of them).
/// </summary>
internal struct LatencySampler
{
    private readonly ServiceProfile _profile;
    private readonly long _startNs;
    private readonly long _slotNs;
    private readonly double _median;
    private SeriesRandom _rng;

    public LatencySampler(FleetOptions options, ServiceState service, int instance, long intervalStartNs, long intervalNs, double median)
    {
        _profile = service.Profile;
        _startNs = intervalStartNs;
        _slotNs = options.LatencySamplesPerInterval == 0 ? intervalNs : intervalNs / options.LatencySamplesPerInterval;
        _median = median;
        _rng = new SeriesRandom(options.Seed, service.InstanceHash(instance), intervalStartNs, FleetModel.LatencyStream);
    }

    public double Next(int index, out long timestampNs)
    {
        timestampNs = _startNs + index * _slotNs + (long)(_rng.NextUInt64() % (ulong)_slotNs);
        return FleetModel.LatencySample(_profile, _median, ref _rng);
    }
}
