using System.Globalization;
using MetricsPipeline.Analytics.Windows;

namespace MetricsPipeline.Host.Stages;

/// <summary>A configured series family resolved against the window settings (statistic → extractor).</summary>
internal sealed class AnomalySeriesDefinition
{
    private readonly int _quantileIndex;
    private readonly string _statistic;

    private AnomalySeriesDefinition(AnomalySeriesOptions options, string statistic, int quantileIndex)
    {
        Options = options;
        _statistic = statistic;
        _quantileIndex = quantileIndex;
    }

    public AnomalySeriesOptions Options { get; }

    /// <summary>Resolves the statistic; a quantile must be one of the window quantiles.</summary>
    /// <exception cref="ArgumentException">Unknown statistic or a quantile the windows do not compute.</exception>
    public static AnomalySeriesDefinition Resolve(AnomalySeriesOptions options, IList<double> quantiles)
    {
        var statistic = options.Statistic.Trim().ToLowerInvariant();
        if (statistic is "mean" or "sum" or "min" or "max" or "count")
        {
            return new AnomalySeriesDefinition(options, statistic, -1);
        }

        if (statistic.Length > 1 && statistic[0] == 'p' && double.TryParse(statistic.AsSpan(1), NumberStyles.Float, CultureInfo.InvariantCulture, out var percent))
        {
            for (var i = 0; i < quantiles.Count; i++)
            {
                if (Math.Abs((quantiles[i] * 100) - percent) < 1e-9)
                {
                    return new AnomalySeriesDefinition(options, "quantile", i);
                }
            }

            throw new ArgumentException($"{AnomalyStageOptions.Section}:Series '{options.Name}': the windows do not compute {options.Statistic} (quantiles: {string.Join(", ", quantiles)}).");
        }

        throw new ArgumentException($"{AnomalyStageOptions.Section}:Series '{options.Name}': unknown statistic '{options.Statistic}'.");
    }

    /// <summary>The statistic of the field in this window, or NaN when the field is absent or empty.</summary>
    public double Extract(WindowResult window)
    {
        // Index loops: foreach over the IReadOnlyList interface would allocate an enumerator per window.
        var fields = window.Fields;
        for (var i = 0; i < fields.Count; i++)
        {
            var f = fields[i];
            if (f.Field == Options.Field)
            {
                if (f.Count == 0)
                {
                    return double.NaN;
                }

                return _statistic switch
                {
                    "mean" => f.Mean,
                    "sum" => f.Sum,
                    "min" => f.Min,
                    "max" => f.Max,
                    "count" => f.Count,
                    _ => _quantileIndex < f.Quantiles.Length ? f.Quantiles[_quantileIndex] : double.NaN,
                };
            }
        }

        return double.NaN;
    }

    /// <summary>The group tag's value, or null when the window lacks the tag.</summary>
    public string? Group(WindowResult window)
    {
        var tags = window.Tags;
        for (var i = 0; i < tags.Count; i++)
        {
            if (tags[i].Key == Options.GroupTag)
            {
                return tags[i].Value;
            }
        }

        return null;
    }
}
