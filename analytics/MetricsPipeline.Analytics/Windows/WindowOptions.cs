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

    /// <summary>Quantiles reported per window, each in [0, 1]. The default is p50, p90, p95 and p99.</summary>
    public IList<double> Quantiles { get; set; } = [0.5, 0.9, 0.95, 0.99];

    /// <summary>
    /// A partition that has delivered nothing for this long (processing time) no longer holds the watermark back.
    /// The default is 30 s.
    /// </summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromSeconds(30);

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

    /// <summary>Names a quantile the way aggregate fields carry it: 0.5 → <c>p50</c>, 0.999 → <c>p99.9</c>.</summary>
    public static string FormatQuantile(double q)
    {
        var percent = Math.Round(q * 100, 6);
        return "p" + percent.ToString("0.######", System.Globalization.CultureInfo.InvariantCulture);
    }
}
