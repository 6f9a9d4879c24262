namespace MetricsPipeline.Decisions.Scaling;

/// <summary>A scheduled minimum: from each match of <see cref="Schedule"/> for <see cref="Duration"/>, <see cref="Service"/> runs at least <see cref="MinInstances"/>. Immutable.</summary>
/// <param name="Name">Rule name, e.g. <c>weekday-business-hours</c>.</param>
/// <param name="Service">The service.</param>
/// <param name="Schedule">When the window opens (cron, UTC).</param>
/// <param name="Duration">How long it stays open after each match.</param>
/// <param name="MinInstances">The minimum while open.</param>
public sealed record ScheduledScalingRule(string Name, string Service, CronSchedule Schedule, TimeSpan Duration, int MinInstances);
