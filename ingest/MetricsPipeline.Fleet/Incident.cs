namespace MetricsPipeline.Fleet;

/// <summary>
/// Something that goes wrong in one service for a while. An incident has an effect only for event times in
/// [<see cref="Start"/>, <see cref="Start"/> + <see cref="Duration"/>).
/// </summary>
/// <param name="Service">The name of the affected service; must name a configured service.</param>
/// <param name="Start">When the incident starts (event time).</param>
/// <param name="Duration">How long it lasts; must be positive.</param>
public abstract record Incident(string Service, DateTimeOffset Start, TimeSpan Duration)
{
    /// <summary>Whether the incident is in effect at <paramref name="timestampNs"/> (Unix nanoseconds).</summary>
    public bool IsActiveAt(long timestampNs)
    {
        var startNs = FleetTime.ToUnixNanoseconds(Start);
        return timestampNs >= startNs && timestampNs - startNs < FleetTime.ToNanoseconds(Duration);
    }

    /// <summary>Hours elapsed since <see cref="Start"/> at <paramref name="timestampNs"/>.</summary>
    public double HoursSinceStart(long timestampNs) =>
        (timestampNs - FleetTime.ToUnixNanoseconds(Start)) / 3_600_000_000_000.0;
}
