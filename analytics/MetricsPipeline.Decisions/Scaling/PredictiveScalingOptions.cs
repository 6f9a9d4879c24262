namespace MetricsPipeline.Decisions.Scaling;

/// <summary>Settings of <see cref="PredictiveScalingPolicy"/>. Do not change after handing to a policy.</summary>
public sealed class PredictiveScalingOptions
{
    /// <summary>What the policy does with its forecasts. The default is <see cref="PredictiveScalingMode.ForecastAndScale"/>.</summary>
    public PredictiveScalingMode Mode { get; set; } = PredictiveScalingMode.ForecastAndScale;

    /// <summary>Load one instance serves at 100 % utilisation, in the load's units (e.g. requests/s). Required (positive).</summary>
    public double CapacityPerInstance { get; set; }

    /// <summary>
    /// Utilisation the forecast upper bound is provisioned for: capacity = upper / target. The default is 0.80 (the
    /// simulator's default SLO holds up to ≈ 0.85, and the upper bound already carries the forecast's uncertainty).
    /// </summary>
    public double TargetUtilization { get; set; } = 0.80;

    /// <summary>Time from a scale-out command until a new instance serves. The default is 3 minutes.</summary>
    public TimeSpan StartupDelay { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>Extra lead beyond the start-up delay. The default is 2 minutes.</summary>
    public TimeSpan Buffer { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>The lead time: <see cref="StartupDelay"/> + <see cref="Buffer"/>.</summary>
    public TimeSpan LeadTime => StartupDelay + Buffer;

    /// <summary>Fewest instances. The default is 1.</summary>
    public int MinInstances { get; set; } = 1;

    /// <summary>Most instances. The default is 100.</summary>
    public int MaxInstances { get; set; } = 100;

    /// <summary>
    /// Scale-in stabilisation: scale-in sizes for the largest demand of this window. The default is 30 minutes (on the
    /// development traces 10 minutes let noisy series scale in just before the next burst, i.e. flap).
    /// </summary>
    public TimeSpan StabilizationWindow { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>No scale-in within this time after any scaling. The default is 5 minutes.</summary>
    public TimeSpan DecreaseCooldown { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Scale in only when the recommendation is this fraction below the current count. The default is 0.1.</summary>
    public double ScaleInTolerance { get; set; } = 0.1;

    /// <summary>
    /// Scale-in sizes for <see cref="TargetUtilization"/> minus this (extra hysteresis against flapping). The default is
    /// 0: the stabilisation window, <see cref="ScaleOutTolerance"/> and <see cref="ReversalUtilization"/> already keep
    /// scale-ins from being undone, and the headroom only cost money.
    /// </summary>
    public double ScaleInHeadroom { get; set; }

    /// <summary>
    /// Scale out only when the demand would load the current instances beyond <see cref="TargetUtilization"/> ×
    /// (1 + this): a dead band against scaling on every noisy minute. The default is 0.03.
    /// </summary>
    public double ScaleOutTolerance { get; set; } = 0.03;

    /// <summary>
    /// Within <see cref="DecreaseCooldown"/> after a scale-in, scale out again only when the demand would load the
    /// current instances beyond this utilisation (a reversal guard: the scale-in was sized with headroom, so noise
    /// should not undo it; a surge past full load still does). The default is 1: for five minutes after a scale-in the
    /// policy accepts a forecast up to full load rather than reverse (the forecast upper bound is itself conservative).
    /// </summary>
    public double ReversalUtilization { get; set; } = 1;

    /// <summary>How often the policy is evaluated; commands expire after two intervals. The default is 60 s.</summary>
    public TimeSpan EvaluationInterval { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Price of one instance per hour, for the monthly cost delta. The default is 0.10.</summary>
    public double PricePerInstanceHour { get; set; } = 0.10;

    /// <summary>Checks the settings.</summary>
    /// <exception cref="ArgumentException">A setting is out of range.</exception>
    public void Validate()
    {
        if (CapacityPerInstance <= 0 || TargetUtilization is <= 0 or > 1 || ScaleInHeadroom < 0 || ScaleInHeadroom >= TargetUtilization)
        {
            throw new ArgumentException("CapacityPerInstance must be positive, TargetUtilization in (0, 1], 0 ≤ ScaleInHeadroom < TargetUtilization.");
        }

        if (MinInstances < 0 || MaxInstances < Math.Max(1, MinInstances) || ScaleInTolerance is < 0 or >= 1 || StartupDelay < TimeSpan.Zero || Buffer < TimeSpan.Zero)
        {
            throw new ArgumentException("Instances must satisfy 0 ≤ min ≤ max, ScaleInTolerance in [0, 1), delays non-negative.");
        }
    }
}
