namespace MetricsPipeline.Analytics.Windows;

/// <summary>One rollup resolution and where InfluxDB keeps it.</summary>
public sealed class RollupLevel
{
    /// <summary>The window size of this level; a whole multiple of the previous level's size.</summary>
    public TimeSpan Size { get; set; }

    /// <summary>The InfluxDB v1 retention policy this level is written to (copied to <see cref="WindowResult.RetentionPolicy"/>).</summary>
    public string RetentionPolicy { get; set; } = "autogen";

    /// <summary>How long InfluxDB keeps this level (the <c>DURATION</c> of its retention policy; documentation and
    /// <see cref="RollupOptions.CreateRetentionPolicyStatements"/> only — the pipeline does not delete data).</summary>
    public TimeSpan Retention { get; set; }
}
