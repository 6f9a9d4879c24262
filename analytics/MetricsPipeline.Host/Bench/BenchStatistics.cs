namespace MetricsPipeline.Host.Bench;

/// <summary>Summary statistics shared by the <c>bench</c> harnesses.</summary>
internal static class BenchStatistics
{
    /// <summary>The median (the mean of the two middle values for an even count); NaN for no samples.</summary>
    public static double Median(IEnumerable<double> samples)
    {
        var sorted = samples.Order().ToArray();
        if (sorted.Length == 0)
        {
            return double.NaN;
        }

        var mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
