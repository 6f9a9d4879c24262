using MetricsPipeline.Analytics.Windows;
using MetricsPipeline.Kafka;
using MetricsPipeline.Sinks.Batching;
using MetricsPipeline.Sinks.InfluxDb;

namespace MetricsPipeline.Host.Hosting;

/// <summary>
/// Everything the analytics pipeline needs, bound from configuration (appsettings.json sections <c>Kafka</c>,
/// <c>Analytics</c>, <c>InfluxDb</c>, <c>Output</c>, <c>Sink</c>, overridable by environment variables such as
/// <c>Kafka__BootstrapServers</c>) or filled in by the <c>demo</c> command from its options.
/// </summary>
public sealed class PipelineSettings
{
    /// <summary>Kafka connection and topics.</summary>
    public KafkaSettings Kafka { get; set; } = new();

    /// <summary>Window settings (section <c>Analytics:Windows</c>).</summary>
    public WindowOptions Windows { get; set; } = new();

    /// <summary>
    /// Rollups (section <c>Analytics:Rollups</c>): closed windows of the source size merged into coarser resolutions,
    /// each written to its own retention policy. <c>null</c> (the default, and whenever the section is absent) disables them.
    /// </summary>
    public RollupOptions? Rollups { get; set; }

    /// <summary>How often the window stage re-checks the watermark while input is idle. The default is 1 s.</summary>
    public TimeSpan TickInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>InfluxDB output; <c>null</c> (the default) disables it.</summary>
    public InfluxDbOptions? InfluxDb { get; set; }

    /// <summary>Directory for line-protocol files; disabled while empty.</summary>
    public string? OutputDirectory { get; set; }

    /// <summary>
    /// Directory for the Arrow window history when there is no configuration (<c>demo --history-dir</c>), whichever
    /// sink the windows go to. The default (null) is <c>{OutputDirectory}/history</c>, or no history without an output
    /// directory; <c>run</c> uses <c>Analytics:History</c> instead.
    /// </summary>
    public string? HistoryDirectory { get; set; }

    /// <summary>Batching, retry and backpressure of every sink (section <c>Sink</c>).</summary>
    public BatchingSinkOptions Sink { get; set; } = new();

    /// <summary>True when InfluxDB output is configured.</summary>
    public bool InfluxEnabled => InfluxDb is not null;

    /// <summary>Checks the settings; throws <see cref="ArgumentException"/> naming the bad setting.</summary>
    public void Validate()
    {
        Windows.Validate();
        if (Rollups is not null)
        {
            Rollups.Validate();
            var source = Rollups.Source.Size;
            if (!Windows.Sizes.Contains(source))
            {
                throw new ArgumentException($"Analytics:Rollups:Source:Size is {WindowOptions.FormatSize(source)}, which is not one of Analytics:Windows:Sizes.");
            }

            if (!Windows.KeepSketchesFor.Contains(source))
            {
                throw new ArgumentException($"Analytics:Windows:KeepSketchesFor must include {WindowOptions.FormatSize(source)}, the rollup source size (rollups merge the windows' sketches).");
            }
        }

        if (TickInterval <= TimeSpan.Zero)
        {
            throw new ArgumentException("Analytics:TickInterval must be positive.");
        }

        if (!InfluxEnabled && string.IsNullOrWhiteSpace(OutputDirectory))
        {
            throw new ArgumentException("No output configured: set InfluxDb:Url (InfluxDB) or Output:Directory (line-protocol files).");
        }

        try
        {
            InfluxDb?.Validate();
        }
        catch (InvalidOperationException ex)
        {
            throw new ArgumentException(ex.Message, ex);
        }

        Kafka.Validate();
    }

    /// <summary>
    /// The retention policy of each resolution, keyed by its <c>window</c> tag value: the tumbling windows'
    /// <see cref="WindowOptions.RetentionPolicies"/> plus, with rollups, every level's policy.
    /// </summary>
    public IReadOnlyDictionary<string, string> RetentionPoliciesByWindow()
    {
        var policies = new Dictionary<string, string>(Windows.RetentionPolicies, StringComparer.Ordinal);
        foreach (var level in Rollups?.Levels ?? [])
        {
            policies.TryAdd(WindowOptions.FormatSize(level.Size), level.RetentionPolicy);
        }

        return policies;
    }

    /// <summary>
    /// The retention policies the rollups write to and how long each keeps data (source and levels), for
    /// <see cref="InfluxDbWriter.EnsureRetentionPoliciesAsync"/>; empty without rollups.
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, TimeSpan>> RollupRetentionPolicies() =>
        Rollups is null
            ? []
            : new[] { Rollups.Source }.Concat(Rollups.Levels)
                .Where(l => !string.IsNullOrWhiteSpace(l.RetentionPolicy) && l.Retention > TimeSpan.Zero)
                .Select(l => new KeyValuePair<string, TimeSpan>(l.RetentionPolicy, l.Retention))
                .ToList();
}
