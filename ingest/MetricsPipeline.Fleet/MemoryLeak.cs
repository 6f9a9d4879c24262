namespace MetricsPipeline.Fleet;

/// <summary>
/// A memory leak: each instance's memory grows by <paramref name="PercentPerHour"/> percentage points per hour
/// from the start of the leak until it reaches <see cref="FleetOptions.MemoryRestartPercent"/>, when the instance
/// "restarts" and the leaked memory is released (then it leaks again). The leak ends with the incident.
/// </summary>
/// <param name="Service">The affected service.</param>
/// <param name="Start">When the leak starts (event time).</param>
/// <param name="Duration">How long it lasts.</param>
/// <param name="PercentPerHour">Leaked memory in percentage points per hour; must be positive.</param>
public sealed record MemoryLeak(string Service, DateTimeOffset Start, TimeSpan Duration, double PercentPerHour)
    : Incident(Service, Start, Duration);
