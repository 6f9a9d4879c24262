using MetricsPipeline.Ingest.Model;

namespace MetricsPipeline.Host.Observability;

/// <summary>
/// Turns telemetry samples into points of the <c>pipeline</c> measurement: one point per label set, the labels as
/// tags and each sample a field named without the <c>pipeline_</c> prefix
/// (<c>pipeline,sink=influxdb sink_written_total=1200,sink_retries_total=0</c>).
/// </summary>
public static class PipelineTelemetryPoints
{
    /// <summary>The measurement the Pipeline-health dashboard reads.</summary>
    public const string Measurement = "pipeline";

    /// <summary>Builds the points, all stamped <paramref name="timestampNs"/> (processing time, Unix ns).</summary>
    public static IReadOnlyList<MetricPoint> ToPoints(IReadOnlyList<TelemetrySample> samples, long timestampNs)
    {
        ArgumentNullException.ThrowIfNull(samples);
        var points = new List<MetricPoint>();
        foreach (var group in samples.GroupBy(s => string.Join(',', s.Labels.Select(l => l.Key + '=' + l.Value)), StringComparer.Ordinal))
        {
            var fields = new List<KeyValuePair<string, FieldValue>>();
            foreach (var sample in group)
            {
                var name = sample.Name.StartsWith("pipeline_", StringComparison.Ordinal) ? sample.Name["pipeline_".Length..] : sample.Name;
                if (fields.Exists(f => f.Key == name))
                {
                    continue; // the same sample twice in one label set: keep the first
                }

                fields.Add(new(name, FieldValue.FromDouble(sample.Value)));
            }

            points.Add(new MetricPoint(Measurement, group.First().Labels, fields, timestampNs));
        }

        return points;
    }
}
