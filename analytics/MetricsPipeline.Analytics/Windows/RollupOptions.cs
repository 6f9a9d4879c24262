namespace MetricsPipeline.Analytics.Windows;

/// <summary>
/// Settings of the rollup stage (configuration section <c>Analytics:Rollups</c>): which closed tumbling windows are
/// merged into coarser ones, and the InfluxDB retention policy of each resolution.
/// </summary>
/// <remarks>
/// Defaults: 1 min windows (written to <c>agg_1m</c>, kept 7 days) roll up into 5 min (<c>agg_5m</c>, 30 days) and
/// those into 1 h (<c>agg_1h</c>, 400 days). The 1 min policy is set through
/// <see cref="WindowOptions.RetentionPolicies"/> (<c>{"1m": "agg_1m"}</c>); the 10 s windows stay in the default
/// policy. Create the policies once per database with <see cref="CreateRetentionPolicyStatements"/>.
/// </remarks>
public sealed class RollupOptions
{
    /// <summary>The tumbling windows that feed the first level, and their retention policy. The default is 1 min,
    /// <c>agg_1m</c>, kept 7 days.</summary>
    public RollupLevel Source { get; set; } = new() { Size = TimeSpan.FromMinutes(1), RetentionPolicy = "agg_1m", Retention = TimeSpan.FromDays(7) };

    /// <summary>The levels, finest first; each is merged from the one before. The default is 5 min (30 days) and 1 h (400 days).</summary>
    public IList<RollupLevel> Levels { get; set; } =
    [
        new() { Size = TimeSpan.FromMinutes(5), RetentionPolicy = "agg_5m", Retention = TimeSpan.FromDays(30) },
        new() { Size = TimeSpan.FromHours(1), RetentionPolicy = "agg_1h", Retention = TimeSpan.FromDays(400) },
    ];

    /// <summary>Quantiles reported per rollup window, as for <see cref="WindowOptions.Quantiles"/>. The default is p50, p90, p95, p99, p99.9.</summary>
    public IList<double> Quantiles { get; set; } = [0.5, 0.9, 0.95, 0.99, 0.999];

    /// <summary>Checks the settings; throws <see cref="ArgumentException"/> naming the bad setting.</summary>
    public void Validate()
    {
        var previous = Source.Size;
        if (previous <= TimeSpan.Zero)
        {
            throw new ArgumentException("Analytics:Rollups:Source:Size must be positive.");
        }

        foreach (var level in Levels)
        {
            if (level.Size <= previous || level.Size.Ticks % previous.Ticks != 0)
            {
                throw new ArgumentException($"Analytics:Rollups:Levels: {level.Size} must be a larger whole multiple of {previous}.");
            }

            if (string.IsNullOrWhiteSpace(level.RetentionPolicy))
            {
                throw new ArgumentException($"Analytics:Rollups:Levels: the {level.Size} level needs a RetentionPolicy.");
            }

            previous = level.Size;
        }
    }

    /// <summary>
    /// The InfluxQL statements that create the retention policies of the source and every level, e.g.
    /// <c>CREATE RETENTION POLICY "agg_5m" ON "metrics" DURATION 30d REPLICATION 1</c>.
    /// </summary>
    public IReadOnlyList<string> CreateRetentionPolicyStatements(string database)
    {
        ArgumentNullException.ThrowIfNull(database);
        return new[] { Source }.Concat(Levels)
            .Select(l => $"CREATE RETENTION POLICY \"{l.RetentionPolicy}\" ON \"{database}\" DURATION {(long)l.Retention.TotalHours}h REPLICATION 1")
            .ToList();
    }
}
