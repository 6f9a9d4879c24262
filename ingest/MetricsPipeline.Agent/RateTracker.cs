namespace MetricsPipeline.Agent;

/// <summary>
/// Turns monotonically increasing counters into per-second rates: the first observation of a key gives no rate,
/// and a decrease (counter reset, device re-plugged) restarts the key instead of giving a negative rate.
/// Not thread-safe (one collector loop owns it).
/// </summary>
public sealed class RateTracker
{
    private readonly Dictionary<string, (double Value, long TimestampNs)> previous = new(StringComparer.Ordinal);

    /// <summary>Records <paramref name="value"/> at <paramref name="timestampNs"/>; returns the rate per second since the last observation, if any.</summary>
    public bool TryRate(string key, double value, long timestampNs, out double perSecond)
    {
        perSecond = 0;
        var had = previous.TryGetValue(key, out var last);
        previous[key] = (value, timestampNs);
        if (!had || value < last.Value || timestampNs <= last.TimestampNs)
        {
            return false;
        }

        perSecond = (value - last.Value) / ((timestampNs - last.TimestampNs) / 1e9);
        return true;
    }

    /// <summary>Records <paramref name="value"/>; returns the difference from the last observation (no time division).</summary>
    public bool TryDelta(string key, double value, out double delta)
    {
        delta = 0;
        var had = previous.TryGetValue(key, out var last);
        previous[key] = (value, 0);
        if (!had || value < last.Value)
        {
            return false;
        }

        delta = value - last.Value;
        return true;
    }
}
