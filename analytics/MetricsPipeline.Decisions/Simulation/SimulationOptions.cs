namespace MetricsPipeline.Decisions.Simulation;

/// <summary>Settings of the <see cref="ClosedLoopSimulator"/>'s fleet model. Do not change while a run uses them.</summary>
public sealed class SimulationOptions
{
    /// <summary>The SLO on p95 latency, in ms; a minute whose p95 exceeds it is a violation minute. The default is 500.</summary>
    public double SloP95Ms { get; set; } = 500;

    /// <summary>p95 latency of an idle instance, in ms. The default is 150 (so the SLO holds up to ρ ≈ 0.85).</summary>
    public double BaseP95Ms { get; set; } = 150;

    /// <summary>
    /// Load one instance serves at 100 % utilisation, in the trace's units. The default (null) is
    /// median / (10 × <see cref="TargetUtilization"/>): the trace's median load needs 10 instances at the target utilisation.
    /// </summary>
    public double? CapacityPerInstance { get; set; }

    /// <summary>
    /// Reference utilisation of the default capacity and of the initial fleet size (the predictive policy's own target
    /// is <see cref="Scaling.PredictiveScalingOptions.TargetUtilization"/>). The default is 0.75.
    /// </summary>
    public double TargetUtilization { get; set; } = 0.75;

    /// <summary>The longest <see cref="StartupDelay"/> and <see cref="LeadBuffer"/>: 1 day (longer ones overflowed the step arithmetic).</summary>
    public static readonly TimeSpan MaxDelay = TimeSpan.FromDays(1);

    /// <summary>Time from a scale-out until new instances serve (they are billed from the command), at most <see cref="MaxDelay"/>. The default is 3 minutes.</summary>
    public TimeSpan StartupDelay { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>Extra lead time of the predictive policy beyond the start-up delay, at most <see cref="MaxDelay"/>. The default is 2 minutes.</summary>
    public TimeSpan LeadBuffer { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Price of one instance per hour. The default is 0.10.</summary>
    public double PricePerInstanceHour { get; set; } = 0.10;

    /// <summary>Fewest instances. The default is 1.</summary>
    public int MinInstances { get; set; } = 1;

    /// <summary>Most instances. The default is 1000.</summary>
    public int MaxInstances { get; set; } = 1000;

    /// <summary>Simulation step and evaluation interval. The default is 1 minute.</summary>
    public TimeSpan Step { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>A reversal of direction within this time of the previous action counts as an oscillation. The default is 5 minutes (the cooldown).</summary>
    public TimeSpan OscillationWindow { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Checks the settings.</summary>
    /// <exception cref="ArgumentException">A setting is out of range.</exception>
    public void Validate()
    {
        if (!(SloP95Ms > 0 && double.IsFinite(SloP95Ms)) || !(BaseP95Ms > 0) || BaseP95Ms >= SloP95Ms)
        {
            throw new ArgumentException("SloP95Ms and BaseP95Ms must be positive and finite and the base below the SLO.");
        }

        if (CapacityPerInstance is <= 0 || TargetUtilization is <= 0 or > 1 || PricePerInstanceHour < 0)
        {
            throw new ArgumentException("CapacityPerInstance must be positive, TargetUtilization in (0, 1], price non-negative.");
        }

        if (MinInstances < 0 || MaxInstances < Math.Max(1, MinInstances) || Step <= TimeSpan.Zero || StartupDelay < TimeSpan.Zero || LeadBuffer < TimeSpan.Zero)
        {
            throw new ArgumentException("Instances must satisfy 0 ≤ min ≤ max; Step positive; delays non-negative.");
        }

        if (StartupDelay > MaxDelay || LeadBuffer > MaxDelay)
        {
            // A start-up delay of years counted in steps overflowed an int: the instances then served at once.
            throw new ArgumentException($"StartupDelay ({StartupDelay}) and LeadBuffer ({LeadBuffer}) must be at most {MaxDelay.TotalDays:0} day.");
        }
    }
}
