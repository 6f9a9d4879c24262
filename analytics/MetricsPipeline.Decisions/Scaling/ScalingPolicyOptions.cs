namespace MetricsPipeline.Decisions.Scaling;

/// <summary>
/// Settings of <see cref="ReactiveScalingPolicy"/>; the defaults are the playbooks'. Use <see cref="Hpa"/> for the
/// Kubernetes-HPA-like preset. Not thread-safe while being changed; do not change after handing it to a policy.
/// </summary>
public sealed class ScalingPolicyOptions
{
    /// <summary>Which rules apply. The default is <see cref="ScalingRuleSet.Playbook"/>.</summary>
    public ScalingRuleSet RuleSet { get; set; } = ScalingRuleSet.Playbook;

    /// <summary>Fewest instances. The default is 1.</summary>
    public int MinInstances { get; set; } = 1;

    /// <summary>Most instances. The default is 100.</summary>
    public int MaxInstances { get; set; } = 100;

    /// <summary>How often the policy is evaluated; commands expire after two intervals. The default is 60 s.</summary>
    public TimeSpan EvaluationInterval { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>CPU percent that, sustained for <see cref="CpuSustainDuration"/>, scales up. The default is 80.</summary>
    public double CpuScaleUpPercent { get; set; } = 80;

    /// <summary>How long CPU must stay above <see cref="CpuScaleUpPercent"/>. The default is 5 minutes.</summary>
    public TimeSpan CpuSustainDuration { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>1-hour mean CPU percent above which the service scales up. The default is 70.</summary>
    public double CpuHourlyMeanPercent { get; set; } = 70;

    /// <summary>CPU percent that scales up at once (critical). The default is 90.</summary>
    public double CpuCriticalPercent { get; set; } = 90;

    /// <summary>Target CPU percent of the proportional rule desired = ceil(current × cpu / target). The default is 70.</summary>
    public double TargetCpuPercent { get; set; } = 70;

    /// <summary>Relative tolerance of the proportional rule: no change while |cpu / target − 1| ≤ this. The default is 0.1.</summary>
    public double Tolerance { get; set; } = 0.1;

    /// <summary>Memory percent that scales up. The default is 85.</summary>
    public double MemoryScaleUpPercent { get; set; } = 85;

    /// <summary>p95 latency (ms) that scales up. The default is 2000.</summary>
    public double LatencyP95Ms { get; set; } = 2000;

    /// <summary>p99 latency (ms) that scales up. The default is 5000.</summary>
    public double LatencyP99Ms { get; set; } = 5000;

    /// <summary>Error rate (percent) that scales up. The default is 5.</summary>
    public double ErrorRatePercent { get; set; } = 5;

    /// <summary>Queue depth that scales up. The default is 100.</summary>
    public double QueueDepth { get; set; } = 100;

    /// <summary>Fraction of the DB pool in use that scales up. The default is 0.8.</summary>
    public double DbPoolFraction { get; set; } = 0.8;

    /// <summary>CPU percent below which (with memory below <see cref="ScaleDownMemoryPercent"/>) the service may scale down. The default is 30.</summary>
    public double ScaleDownCpuPercent { get; set; } = 30;

    /// <summary>Memory percent below which the service may scale down. The default is 50.</summary>
    public double ScaleDownMemoryPercent { get; set; } = 50;

    /// <summary>How long the scale-down condition must hold. The default is 10 minutes.</summary>
    public TimeSpan ScaleDownSustainDuration { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>History the policy needs before it ever scales down. The default is 30 minutes.</summary>
    public TimeSpan MinHistoryForScaleDown { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>No scale-up within this time after a scale-up (emergency bypasses it). The default is 5 minutes.</summary>
    public TimeSpan IncreaseCooldown { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>No scale-down within this time after any scaling. The default is 5 minutes.</summary>
    public TimeSpan DecreaseCooldown { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Scale-down stabilisation: the largest recommendation of this window wins. The default is 5 minutes.</summary>
    public TimeSpan StabilizationWindow { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Largest relative increase per evaluation, in percent. The default is 100.</summary>
    public double MaxIncreasePercent { get; set; } = 100;

    /// <summary>Largest absolute increase per evaluation; the larger of the two limits applies. The default is 4.</summary>
    public int MaxIncreaseInstances { get; set; } = 4;

    /// <summary>Largest relative decrease per evaluation, in percent. The default is 50.</summary>
    public double MaxDecreasePercent { get; set; } = 50;

    /// <summary>Request rate over its baseline that counts as a traffic spike. The default is 3.</summary>
    public double EmergencySpikeRatio { get; set; } = 3;

    /// <summary>Cap of an emergency scale-out, in percent of the current count. The default is 200.</summary>
    public double EmergencyMaxIncreasePercent { get; set; } = 200;

    /// <summary>Window of the request-rate baseline (its mean). The default is 1 hour.</summary>
    public TimeSpan BaselineWindow { get; set; } = TimeSpan.FromHours(1);

    /// <summary>History the baseline needs before spikes are judged. The default is 10 minutes.</summary>
    public TimeSpan MinBaselineHistory { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Price of one instance per hour, for the command's monthly cost delta. The default is 0.10.</summary>
    public double PricePerInstanceHour { get; set; } = 0.10;

    /// <summary>The Kubernetes-HPA-like preset: proportional CPU rule at 70 % both ways, no increase cooldown, 5-minute scale-down stabilisation.</summary>
    public static ScalingPolicyOptions Hpa() => new()
    {
        RuleSet = ScalingRuleSet.Proportional,
        IncreaseCooldown = TimeSpan.Zero,
        DecreaseCooldown = TimeSpan.Zero,
        MinHistoryForScaleDown = TimeSpan.Zero,
        MaxDecreasePercent = 100,
    };

    /// <summary>Checks the settings.</summary>
    /// <exception cref="ArgumentException">A setting is out of range.</exception>
    public void Validate()
    {
        if (MinInstances < 0 || MaxInstances < Math.Max(1, MinInstances))
        {
            throw new ArgumentException($"Instances must satisfy 0 ≤ min ≤ max and max ≥ 1 (min {MinInstances}, max {MaxInstances}).");
        }

        if (EvaluationInterval <= TimeSpan.Zero)
        {
            throw new ArgumentException("EvaluationInterval must be positive.");
        }

        if (TargetCpuPercent <= 0 || Tolerance < 0 || MaxIncreasePercent < 0 || MaxDecreasePercent is < 0 or > 100)
        {
            throw new ArgumentException("TargetCpuPercent must be positive; Tolerance and step limits non-negative; MaxDecreasePercent at most 100.");
        }

        if (EmergencySpikeRatio <= 1 || EmergencyMaxIncreasePercent < 0)
        {
            throw new ArgumentException("EmergencySpikeRatio must exceed 1 and EmergencyMaxIncreasePercent must be non-negative.");
        }

        // A NaN or negative setting (a typo in appsettings, a JSON policy config) would otherwise switch a rule off silently.
        foreach (var (name, value) in new (string, double)[]
        {
            (nameof(CpuScaleUpPercent), CpuScaleUpPercent), (nameof(CpuHourlyMeanPercent), CpuHourlyMeanPercent),
            (nameof(CpuCriticalPercent), CpuCriticalPercent), (nameof(TargetCpuPercent), TargetCpuPercent), (nameof(Tolerance), Tolerance),
            (nameof(MemoryScaleUpPercent), MemoryScaleUpPercent), (nameof(LatencyP95Ms), LatencyP95Ms), (nameof(LatencyP99Ms), LatencyP99Ms),
            (nameof(ErrorRatePercent), ErrorRatePercent), (nameof(QueueDepth), QueueDepth), (nameof(DbPoolFraction), DbPoolFraction),
            (nameof(ScaleDownCpuPercent), ScaleDownCpuPercent), (nameof(ScaleDownMemoryPercent), ScaleDownMemoryPercent),
            (nameof(MaxIncreasePercent), MaxIncreasePercent), (nameof(MaxDecreasePercent), MaxDecreasePercent),
            (nameof(EmergencySpikeRatio), EmergencySpikeRatio), (nameof(EmergencyMaxIncreasePercent), EmergencyMaxIncreasePercent),
            (nameof(PricePerInstanceHour), PricePerInstanceHour),
        })
        {
            if (!double.IsFinite(value) || value < 0)
            {
                throw new ArgumentException($"{name} must be a finite, non-negative number (got {value}).");
            }
        }

        foreach (var (name, value) in new (string, TimeSpan)[]
        {
            (nameof(CpuSustainDuration), CpuSustainDuration), (nameof(ScaleDownSustainDuration), ScaleDownSustainDuration),
            (nameof(MinHistoryForScaleDown), MinHistoryForScaleDown), (nameof(IncreaseCooldown), IncreaseCooldown),
            (nameof(DecreaseCooldown), DecreaseCooldown), (nameof(StabilizationWindow), StabilizationWindow),
            (nameof(BaselineWindow), BaselineWindow), (nameof(MinBaselineHistory), MinBaselineHistory),
        })
        {
            if (value < TimeSpan.Zero)
            {
                throw new ArgumentException($"{name} must not be negative (got {value}).");
            }
        }

        if (MaxIncreaseInstances < 0)
        {
            throw new ArgumentException($"MaxIncreaseInstances must not be negative (got {MaxIncreaseInstances}).");
        }
    }
}
