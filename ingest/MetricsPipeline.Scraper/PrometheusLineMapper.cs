using MetricsPipeline.Ingest.Model;

namespace MetricsPipeline.Scraper;

/// <summary>
/// Turns metric families into line-protocol points. The mapping (documented in README.md):
/// <list type="bullet">
/// <item>measurement = family name; tags = the sample's labels plus the target's labels (a sample label wins);</item>
/// <item>counter → field <c>counter</c>; gauge, info, state set → field <c>gauge</c>; untyped → field <c>value</c>;</item>
/// <item>histogram / gauge histogram → one point per bucket with tag <c>le</c> and field <c>bucket</c> (cumulative
/// count), and one point per label set with fields <c>sum</c> and <c>count</c>;</item>
/// <item>summary → one point per quantile with tag <c>quantile</c> and field <c>value</c>, and one with <c>sum</c>
/// and <c>count</c>;</item>
/// <item>OpenMetrics <c>_created</c> samples are dropped (a start time, not a measurement); NaN/±Inf values are
/// skipped and counted (line protocol cannot carry them);</item>
/// <item>timestamp = the sample's own, else the scrape time.</item>
/// </list>
/// Thread-safe (stateless).
/// </summary>
public static class PrometheusLineMapper
{
    /// <summary>Maps <paramref name="exposition"/>; returns the points and how many samples were skipped as non-finite.</summary>
    public static (List<MetricPoint> Points, int SkippedNonFinite) Map(
        PrometheusExposition exposition, IReadOnlyList<KeyValuePair<string, string>> targetLabels, long scrapeTimeNs)
    {
        ArgumentNullException.ThrowIfNull(exposition);
        ArgumentNullException.ThrowIfNull(targetLabels);
        var points = new List<MetricPoint>();
        var skipped = 0;
        foreach (var family in exposition.Families)
        {
            var summaries = new Dictionary<string, (List<KeyValuePair<string, string>> Tags, Dictionary<string, double> Fields, long Ts)>(StringComparer.Ordinal);
            foreach (var sample in family.Samples)
            {
                if (sample.Name.EndsWith("_created", StringComparison.Ordinal) && family.Type is not PrometheusMetricType.Untyped and not PrometheusMetricType.Gauge)
                {
                    continue;
                }

                if (!double.IsFinite(sample.Value))
                {
                    skipped++;
                    continue;
                }

                var ts = sample.TimestampNs ?? scrapeTimeNs;
                var tags = Tags(sample.Labels, targetLabels);
                switch (family.Type)
                {
                    case PrometheusMetricType.Histogram or PrometheusMetricType.GaugeHistogram or PrometheusMetricType.Summary:
                        var aggregate = AggregateField(sample.Name, family.Name);
                        if (aggregate is null)
                        {
                            var field = family.Type == PrometheusMetricType.Summary ? "value" : "bucket";
                            points.Add(Point(family.Name, tags, field, sample.Value, ts));
                        }
                        else
                        {
                            var key = string.Join(',', tags.Select(t => t.Key + "=" + t.Value));
                            if (!summaries.TryGetValue(key, out var entry))
                            {
                                entry = (tags, new Dictionary<string, double>(StringComparer.Ordinal), ts);
                                summaries[key] = entry;
                            }

                            entry.Fields[aggregate] = sample.Value;
                        }

                        break;
                    default:
                        points.Add(Point(family.Name, tags, FieldName(family.Type), sample.Value, ts));
                        break;
                }
            }

            foreach (var (tags, fields, ts) in summaries.Values)
            {
                points.Add(new MetricPoint(family.Name, tags, fields.Select(f => new KeyValuePair<string, FieldValue>(f.Key, FieldValue.FromDouble(f.Value))).ToList(), ts));
            }
        }

        return (points, skipped);
    }

    private static string FieldName(PrometheusMetricType type) => type switch
    {
        PrometheusMetricType.Counter => "counter",
        PrometheusMetricType.Gauge or PrometheusMetricType.Info or PrometheusMetricType.StateSet => "gauge",
        _ => "value",
    };

    private static string? AggregateField(string sampleName, string familyName)
    {
        var suffix = sampleName.Length > familyName.Length ? sampleName[familyName.Length..] : string.Empty;
        return suffix switch
        {
            "_sum" or "_gsum" => "sum",
            "_count" or "_gcount" => "count",
            _ => null,
        };
    }

    private static List<KeyValuePair<string, string>> Tags(IReadOnlyList<KeyValuePair<string, string>> labels, IReadOnlyList<KeyValuePair<string, string>> target)
    {
        var tags = new List<KeyValuePair<string, string>>(labels.Count + target.Count);
        tags.AddRange(labels.Where(l => l.Value.Length > 0));
        foreach (var label in target)
        {
            if (!tags.Exists(t => t.Key == label.Key))
            {
                tags.Add(label);
            }
        }

        return tags;
    }

    private static MetricPoint Point(string measurement, List<KeyValuePair<string, string>> tags, string field, double value, long ts) =>
        new(measurement, tags, [new(field, FieldValue.FromDouble(value))], ts);
}
