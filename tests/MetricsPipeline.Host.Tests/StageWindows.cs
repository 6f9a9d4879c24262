using MetricsPipeline.Analytics.Windows;

namespace MetricsPipeline.Host.Tests;

/// <summary>Event-time constants and window statistics shared by the decision-stage tests.</summary>
internal static class StageWindows
{
    /// <summary>One minute in nanoseconds.</summary>
    public const long MinuteNs = 60_000_000_000;

    /// <summary>2026-03-01T00:00:00Z in nanoseconds: a Sunday and a month start.</summary>
    public const long T0 = 1_772_323_200L * 1_000_000_000;

    /// <summary>A window field of six samples that all equal <paramref name="v"/>.</summary>
    public static WindowFieldStats Stat(string field, double v) => new(field, 6, 6 * v, v, v, [v, v, v, v]);
}
