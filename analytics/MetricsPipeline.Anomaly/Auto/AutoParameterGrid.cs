using System.Globalization;

namespace MetricsPipeline.Anomaly.Auto;

/// <summary>
/// The configurations of <see cref="AutoDetector"/> that cross-validation chooses among: the baseline first, then each
/// of its seven most influential parameters moved down and up one step with the others kept (a one-at-a-time
/// neighbourhood, 15 configurations). The steps are wide enough to change NAB's score by several points on nab-dev, so
/// the choice matters, and few enough that choosing on K − 1 folds is cheap.
/// </summary>
public static class AutoParameterGrid
{
    /// <summary>Returns the baseline (labelled "baseline") and its 14 one-step neighbours, labelled "name=value".</summary>
    /// <exception cref="ArgumentException">The baseline is invalid.</exception>
    public static IReadOnlyList<(string Label, AutoDetectorOptions Options)> Neighbourhood(AutoDetectorOptions baseline)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        baseline.Validate();
        var grid = new List<(string, AutoDetectorOptions)> { ("baseline", baseline.Clone()) };

        // The reference quantile moves in its tail: 5x more mass above it, or the maximum itself.
        Add(grid, baseline, "reference-quantile", 1 - (5 * (1 - baseline.ReferenceQuantile)), (o, v) => o.ReferenceQuantile = v);
        if (baseline.ReferenceQuantile < 1)
        {
            Add(grid, baseline, "reference-quantile", 1, (o, v) => o.ReferenceQuantile = v);
        }

        foreach (var factor in new[] { 0.5, 2.0 })
        {
            Add(grid, baseline, "refractory-length", Math.Round(baseline.RefractoryLength * factor), (o, v) => o.RefractoryLength = (int)v);
            Add(grid, baseline, "history-length", Math.Max(10, Math.Round(baseline.HistoryLength * factor)), (o, v) => o.HistoryLength = (int)v);
        }

        foreach (var factor in new[] { 2.0 / 3.0, 4.0 / 3.0 })
        {
            Add(grid, baseline, "difference-weight", baseline.DifferenceWeight * factor, (o, v) => o.DifferenceWeight = v);
            Add(grid, baseline, "seasonal-weight", baseline.SeasonalWeight * factor, (o, v) => o.SeasonalWeight = v);
        }

        Add(grid, baseline, "value-weight", baseline.ValueWeight / 2, (o, v) => o.ValueWeight = v);
        Add(grid, baseline, "value-weight", baseline.ValueWeight * 2, (o, v) => o.ValueWeight = v);
        Add(grid, baseline, "smoothing", Math.Max(1, baseline.Smoothing - 2), (o, v) => o.Smoothing = (int)v);
        Add(grid, baseline, "smoothing", baseline.Smoothing + 2, (o, v) => o.Smoothing = (int)v);
        return grid;
    }

    private static void Add(List<(string, AutoDetectorOptions)> grid, AutoDetectorOptions baseline, string name, double value, Action<AutoDetectorOptions, double> set)
    {
        var options = baseline.Clone();
        set(options, value);
        var label = $"{name}={value.ToString("G6", CultureInfo.InvariantCulture)}";
        if (grid.Any(g => g.Item1 == label))
        {
            return;
        }

        try
        {
            options.Validate();
        }
        catch (ArgumentException)
        {
            // A step that leaves the valid range (e.g. smoothing below 1 is clamped, quantile 0) is simply not a candidate.
            return;
        }

        grid.Add((label, options));
    }
}
