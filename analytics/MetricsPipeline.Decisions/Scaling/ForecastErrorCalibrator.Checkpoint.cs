namespace MetricsPipeline.Decisions.Scaling;

/// <content>
/// Snapshot and restore of the ratios and of the cached quantile: the cache is refreshed only every
/// <see cref="RefreshEvery"/> ratios, so a restore without it would answer differently from the original until the next
/// refresh. Only the held ratios are written (the ring fills from index 0, so they are the first <see cref="Count"/>).
/// </content>
internal sealed partial class ForecastErrorCalibrator
{
    public void Save(BinaryWriter w)
    {
        w.Write(_ratios.Length);
        w.Write(Count);
        w.Write(_next);
        w.Write(_sinceQuantile);
        w.Write(_quantileLevel);
        w.Write(_quantile);
        for (var i = 0; i < Count; i++)
        {
            w.Write(_ratios[i]);
        }
    }

    public void Restore(BinaryReader r)
    {
        var capacity = r.ReadInt32();
        var count = r.ReadInt32();
        var next = r.ReadInt32();
        if (capacity != _ratios.Length || count < 0 || count > capacity || next < 0 || next >= capacity)
        {
            // Another calibration window: the saved ratios do not fit this ring.
            throw new FormatException($"Calibrator state of capacity {capacity} (count {count}, next {next}) does not fit capacity {_ratios.Length}.");
        }

        _sinceQuantile = r.ReadInt32();
        _quantileLevel = r.ReadDouble();
        _quantile = r.ReadDouble();
        for (var i = 0; i < count; i++)
        {
            _ratios[i] = r.ReadDouble();
        }

        Array.Clear(_ratios, count, capacity - count);
        Count = count;
        _next = next;
    }
}
