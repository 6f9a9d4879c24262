using MetricsPipeline.Decisions.Scaling;

namespace MetricsPipeline.Host.Stages;

/// <summary>
/// One scheduled minimum of the decision stage (bind <c>Analytics:Scaling:Schedules:0:…</c>): from each match of
/// <see cref="Cron"/> (UTC) for <see cref="Duration"/>, <see cref="Service"/> runs at least <see cref="MinInstances"/>.
/// </summary>
public sealed class ScheduledScalingOptions
{
    /// <summary>The rule name carried in the command's <c>rule</c>. The default is <c>schedule</c>.</summary>
    public string Name { get; set; } = "schedule";

    /// <summary>The service. Required.</summary>
    public string Service { get; set; } = string.Empty;

    /// <summary>Five-field cron expression (minute hour day month weekday, UTC), e.g. <c>0 8 * * 1-5</c>. Required.</summary>
    public string Cron { get; set; } = string.Empty;

    /// <summary>How long the window stays open after each match. The default is 1 hour.</summary>
    public TimeSpan Duration { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The minimum while the window is open. The default is 1.</summary>
    public int MinInstances { get; set; } = 1;

    /// <summary>The rule these settings describe.</summary>
    /// <exception cref="ArgumentException">A setting is missing or out of range, or the cron expression does not parse.</exception>
    public ScheduledScalingRule ToRule()
    {
        if (string.IsNullOrWhiteSpace(Service) || Duration <= TimeSpan.Zero || MinInstances < 1)
        {
            throw new ArgumentException($"Analytics:Scaling:Schedules '{Name}' needs a Service, a positive Duration and MinInstances ≥ 1 (service '{Service}', duration {Duration}, min {MinInstances}).");
        }

        try
        {
            return new ScheduledScalingRule(Name, Service, CronSchedule.Parse(Cron), Duration, MinInstances);
        }
        catch (FormatException ex)
        {
            throw new ArgumentException($"Analytics:Scaling:Schedules '{Name}': {ex.Message}", ex);
        }
    }
}
