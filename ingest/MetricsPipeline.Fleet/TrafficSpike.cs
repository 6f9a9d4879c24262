namespace MetricsPipeline.Fleet;

/// <summary>A traffic spike: the service's total load is multiplied by <paramref name="Multiplier"/>.</summary>
/// <param name="Service">The affected service.</param>
/// <param name="Start">When the spike starts (event time).</param>
/// <param name="Duration">How long it lasts.</param>
/// <param name="Multiplier">The load multiplier; must be positive (3 means three times the usual traffic).</param>
public sealed record TrafficSpike(string Service, DateTimeOffset Start, TimeSpan Duration, double Multiplier)
    : Incident(Service, Start, Duration);
