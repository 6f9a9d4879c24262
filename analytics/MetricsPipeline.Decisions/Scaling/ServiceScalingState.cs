namespace MetricsPipeline.Decisions.Scaling;

/// <summary>What a reactive policy remembers about one service. Not thread-safe.</summary>
internal sealed class ServiceScalingState(ScalingPolicyOptions options)
{
    public DateTimeOffset FirstSeen { get; set; } = DateTimeOffset.MinValue;

    public DateTimeOffset? CpuAboveSince { get; set; }

    public DateTimeOffset? ScaleDownOkSince { get; set; }

    public DateTimeOffset? LastIncrease { get; set; }

    public DateTimeOffset? LastDecrease { get; set; }

    public DateTimeOffset? LastEmergency { get; set; }

    /// <summary>The instances at the start of the current traffic spike (0: no spike under way).</summary>
    public int EmergencyFromInstances { get; set; }

    /// <summary>The request-rate baseline at the start of the current spike (NaN when an anomaly alert alone started it).</summary>
    public double EmergencyBaseline { get; set; } = double.NaN;

    public TimedWindow CpuHour { get; } = new(TimeSpan.FromHours(1));

    public TimedWindow Baseline { get; } = new(options.BaselineWindow);

    public TimedWindow Recommendations { get; } = new(options.StabilizationWindow);
}
