namespace MetricsPipeline.Analytics.Windows;

/// <summary>Settings of the event-time window stage (configuration section <c>Analytics:Windows</c>).</summary>
public sealed class WindowOptions
{
    /// <summary>Tumbling window sizes. The default is 10 s and 1 min. Each must be a whole number of milliseconds.</summary>
    public IList<TimeSpan> Sizes { get; set; } = [TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(1)];

    /// <summary>
    /// How long after a window's end (in event time, measured by the watermark) points are still accepted into it.
    /// Points later than this are counted as late and not aggregated. The default is 10 s.
    /// </summary>
    public TimeSpan Grace { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Quantiles reported per window, each in [0, 1]. The default is p50, p90, p95, p99 and p99.9 (field suffixes
    /// <c>_p50</c>, <c>_p90</c>, <c>_p95</c>, <c>_p99</c>, <c>_p999</c>: see <see cref="FormatQuantile"/>).
    /// </summary>
    public IList<double> Quantiles { get; set; } = [0.5, 0.9, 0.95, 0.99, 0.999];

    /// <summary>
    /// Exact quantiles (every value kept and sorted per window) instead of DDSketch estimates (±1% relative error).
    /// In both modes a window's first 16 values are kept verbatim, so windows with at most 16 values are exact anyway.
    /// Memory grows with the points per window, so this is meant for tests and small deployments. The default is false.
    /// </summary>
    public bool Exact { get; set; }

    /// <summary>
    /// Fields treated as monotonic counters (they get an increase and a per-second <c>_rate</c> with counter-reset
    /// handling): a field whose name ends with one of these suffixes, or equals one of them. The default is
    /// <c>_total</c> (Prometheus counters), <c>_count</c> (histogram/summary counts) and <c>counter</c>
    /// (collectd/statsd-style names such as <c>requests_counter</c>). Matching is ordinal and case-sensitive.
    /// </summary>
    public IList<string> CounterSuffixes { get; set; } = ["_total", "_count", "counter"];

    /// <summary>
    /// Also treat a field as a counter when its series has a tag with this key whose value is <c>counter</c>
    /// (e.g. <c>metric_type=counter</c> written by a Prometheus bridge). Null disables the hint. The default is
    /// <c>metric_type</c>.
    /// </summary>
    public string? CounterTypeTag { get; set; } = "metric_type";

    /// <summary>
    /// The most series of one measurement tracked at once; new series beyond it are rejected and counted
    /// (<c>pipeline_discarded_total{reason="measurement_series_limit"}</c>). The default is 1 000 000.
    /// </summary>
    public int MaxSeriesPerMeasurement { get; set; } = 1_000_000;

    /// <summary>
    /// Window sizes whose closed windows carry a copy of their quantile sketch in <see cref="WindowFieldStats.Sketch"/>,
    /// which rollups (<see cref="RollupAggregator"/>) and sliding windows (<see cref="SlidingWindowStore"/>) merge.
    /// Costs one small allocation per closed window and field, so only the sizes those consumers read are listed.
    /// The default is 1 min.
    /// </summary>
    public IList<TimeSpan> KeepSketchesFor { get; set; } = [TimeSpan.FromMinutes(1)];

    /// <summary>
    /// Opt-in late-update path: for this long after a window closed (in event time), a late point still updates it
    /// and the corrected window is emitted again with a higher <see cref="WindowResult.Revision"/>; such points are
    /// counted in <c>pipeline_late_updates_total</c> (and not in <c>pipeline_late_points_total</c>). Closed windows
    /// are kept in memory for this horizon. The default is zero (off).
    /// </summary>
    public TimeSpan LateUpdateHorizon { get; set; } = TimeSpan.Zero;

    /// <summary>
    /// InfluxDB retention policy per window size, keyed by the <c>window</c> tag value (<c>10s</c>, <c>1m</c>);
    /// copied to <see cref="WindowResult.RetentionPolicy"/>. The default is empty (the database's default policy).
    /// </summary>
    public IDictionary<string, string> RetentionPolicies { get; set; } = new Dictionary<string, string>();

    /// <summary>
    /// A partition that has delivered nothing for this long (processing time) no longer holds the watermark back.
    /// The default is 30 s.
    /// </summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The most closed windows one <see cref="WindowAggregator.Advance"/> emits; the rest follow in further calls
    /// (<see cref="WindowAggregator.HasPendingWindows"/>). Bounds the results (and sketch copies) alive at once when a
    /// million series close their 1-minute windows together, and lets the sink's backpressure act between chunks.
    /// Must be positive. The default is 20 000.
    /// </summary>
    public int MaxWindowsPerBatch { get; set; } = 20_000;

    /// <summary>The most series (measurement + tag set) tracked at once; new series beyond it are rejected and counted.
    /// The default is 2 000 000.</summary>
    public int MaxSeries { get; set; } = 2_000_000;

    /// <summary>Checks the settings; throws <see cref="ArgumentException"/> naming the bad setting.</summary>
    public void Validate()
    {
        if (Sizes.Count == 0)
        {
            throw new ArgumentException("Analytics:Windows:Sizes must list at least one window size.");
        }

        foreach (var size in Sizes)
        {
            if (size <= TimeSpan.Zero || size.Ticks % TimeSpan.TicksPerMillisecond != 0)
            {
                throw new ArgumentException($"Analytics:Windows:Sizes contains {size}; sizes must be positive whole milliseconds.");
            }
        }

        if (Grace < TimeSpan.Zero)
        {
            throw new ArgumentException("Analytics:Windows:Grace must not be negative.");
        }

        foreach (var q in Quantiles)
        {
            if (!(q >= 0 && q <= 1))
            {
                throw new ArgumentException($"Analytics:Windows:Quantiles contains {q}; quantiles must lie in [0, 1].");
            }
        }

        if (IdleTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException("Analytics:Windows:IdleTimeout must be positive.");
        }

        if (MaxSeries <= 0)
        {
            throw new ArgumentException("Analytics:Windows:MaxSeries must be positive.");
        }

        if (MaxSeriesPerMeasurement <= 0)
        {
            throw new ArgumentException("Analytics:Windows:MaxSeriesPerMeasurement must be positive.");
        }

        if (MaxWindowsPerBatch <= 0)
        {
            throw new ArgumentException("Analytics:Windows:MaxWindowsPerBatch must be positive.");
        }

        if (LateUpdateHorizon < TimeSpan.Zero)
        {
            throw new ArgumentException("Analytics:Windows:LateUpdateHorizon must not be negative.");
        }
    }

    /// <summary>Formats a window size the way the <c>window</c> tag carries it: <c>10s</c>, <c>1m</c>, <c>5m</c>, <c>1h</c>, <c>500ms</c>.</summary>
    public static string FormatSize(TimeSpan size)
    {
        if (size.Ticks % TimeSpan.TicksPerDay == 0)
        {
            return $"{size.Ticks / TimeSpan.TicksPerDay}d";
        }

        if (size.Ticks % TimeSpan.TicksPerHour == 0)
        {
            return $"{size.Ticks / TimeSpan.TicksPerHour}h";
        }

        if (size.Ticks % TimeSpan.TicksPerMinute == 0)
        {
            return $"{size.Ticks / TimeSpan.TicksPerMinute}m";
        }

        if (size.Ticks % TimeSpan.TicksPerSecond == 0)
        {
            return $"{size.Ticks / TimeSpan.TicksPerSecond}s";
        }

        return $"{size.Ticks / TimeSpan.TicksPerMillisecond}ms";
    }

    /// <summary>
    /// Names a quantile the way aggregate fields carry it, without a decimal point (a dot in a field name needs
    /// quoting in InfluxQL): 0.5 → <c>p50</c>, 0.99 → <c>p99</c>, 0.999 → <c>p999</c>, 0.9999 → <c>p9999</c>,
    /// 0.995 → <c>p995</c>. The digits are those of the percentage with the dot removed.
    /// </summary>
    public static string FormatQuantile(double q)
    {
        var percent = Math.Round(q * 100, 6);
        return "p" + percent.ToString("0.######", System.Globalization.CultureInfo.InvariantCulture).Replace(".", string.Empty, StringComparison.Ordinal);
    }

    /// <summary>Whether a field of a series is treated as a counter (see <see cref="CounterSuffixes"/> and <see cref="CounterTypeTag"/>).</summary>
    public bool IsCounter(string field, IReadOnlyList<KeyValuePair<string, string>> tags)
    {
        ArgumentNullException.ThrowIfNull(field);
        ArgumentNullException.ThrowIfNull(tags);
        foreach (var suffix in CounterSuffixes)
        {
            if (field.EndsWith(suffix, StringComparison.Ordinal))
            {
                return true;
            }
        }

        if (CounterTypeTag is not null)
        {
            foreach (var tag in tags)
            {
                if (tag.Key == CounterTypeTag && tag.Value == "counter")
                {
                    return true;
                }
            }
        }

        return false;
    }
}
