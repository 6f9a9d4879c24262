using System.Globalization;
using MetricsPipeline.Anomaly.Streaming;
using MetricsPipeline.Decisions.Alerts;
using MetricsPipeline.Decisions.Commands;
using MetricsPipeline.Ingest.Model;

namespace MetricsPipeline.Host.Stages;

/// <summary>Turns a scored window into the stage's <c>anomaly</c> point and its <c>alert/v1</c> message.</summary>
internal static class AnomalyEventFormatter
{
    private static readonly string[] SeverityNames = ["none", "warning", "critical", "emergency"];

    /// <summary>
    /// The <c>anomaly</c> point: tags detector, series, the group tag and severity (a resolving window is itself normal,
    /// so severity none; its <c>transition</c> field marks the resolution); fields score, value, alert, and where known
    /// p_value, expected, lower, upper, ratio (traffic series) and transition.
    /// </summary>
    public static MetricPoint Point(in AnomalyWindowScore w, string detector)
    {
        var options = w.Definition.Options;
        var tags = new List<KeyValuePair<string, string>>(4)
        {
            new("detector", detector),
            new("series", options.Name),
            new(options.GroupTag, w.Group),
            new("severity", SeverityNames[w.Severity]),
        };
        tags.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        var fields = new List<KeyValuePair<string, FieldValue>>(9)
        {
            new("score", FieldValue.FromDouble(w.Score)),
            new("value", FieldValue.FromDouble(w.Value)),
            new("alert", FieldValue.FromBoolean(w.Output.Alert)),
        };
        AddIfFinite(fields, "p_value", w.Output.PValue);
        AddIfFinite(fields, "expected", w.Expected);
        AddIfFinite(fields, "lower", w.Lower);
        AddIfFinite(fields, "upper", w.Upper);
        if (options.TrafficSignal)
        {
            AddIfFinite(fields, "ratio", w.Ratio);
        }

        if (w.Transition != AlertTransition.None)
        {
            fields.Add(new("transition", FieldValue.FromString(w.Transition.ToString().ToLowerInvariant())));
        }

        return new MetricPoint(AnomalyStage.Measurement, tags, fields, w.StartNs);
    }

    /// <summary>
    /// The alert for a window whose lifecycle step is a transition (open, renotify or resolve), on the envelope threshold
    /// alerts use too (<see cref="AlertEnvelope"/>, kind anomaly; serialise with <see cref="AlertJson"/>).
    /// </summary>
    public static AlertEnvelope Alert(in AnomalyWindowScore w, AlertLifecycle lifecycle, AnomalyStageOptions options)
    {
        var metric = w.Definition.Options.Name;
        var group = w.Group;
        var status = w.Transition == AlertTransition.Resolve ? AlertStatus.Resolved : AlertStatus.Firing;
        var severity = Math.Max(1, lifecycle.Severity);
        var threshold = severity switch
        {
            3 => options.TrafficSpikeRatio * w.Expected,
            2 => options.CriticalScore,
            _ => options.WarningScore,
        };
        var summary = w.Transition == AlertTransition.Resolve
            ? $"{metric} of {group} is back to normal: {Format(w.Value)} (expected {Format(w.Expected)})."
            : $"{metric} of {group} is anomalous: {Format(w.Value)}, expected {Format(w.Expected)} within [{Format(w.Lower)}, {Format(w.Upper)}]; {options.Detector} score {Format(w.Score)}.";
        var labels = new List<KeyValuePair<string, string>>
        {
            new("detector", options.Detector),
            new("score", Format(w.Score)),
            new("expected", Format(w.Expected)),
            new("lower", Format(w.Lower)),
            new("upper", Format(w.Upper)),
            new("window_start_ns", w.StartNs.ToString(CultureInfo.InvariantCulture)),
        };
        if (double.IsFinite(w.Output.PValue))
        {
            labels.Add(new("p_value", Format(w.Output.PValue)));
        }

        return new AlertEnvelope
        {
            // The id hashes the wire spelling of the status, as it always has, so ids of replayed windows stay stable.
            Id = DeterministicId.Compute(metric, group, options.Detector, AlertJson.Name(status), w.StartNs.ToString(CultureInfo.InvariantCulture)),
            Kind = AlertKind.Anomaly,
            Status = status,
            Severity = severity switch
            {
                3 => AlertSeverity.Emergency,
                2 => AlertSeverity.Critical,
                _ => AlertSeverity.Warning,
            },
            Rule = "anomaly:" + options.Detector,
            Service = group,
            Metric = metric,
            Value = w.Value,
            Threshold = threshold,
            Summary = summary,
            Playbook = Playbook(metric),
            Renotification = w.Transition == AlertTransition.Renotify,
            StartsAt = DateTimeOffset.FromUnixTimeMilliseconds(lifecycle.OpenedAtNs / 1_000_000),
            Timestamp = DateTimeOffset.FromUnixTimeMilliseconds(w.StartNs / 1_000_000),
            Labels = labels,
        };
    }

    private static void AddIfFinite(List<KeyValuePair<string, FieldValue>> fields, string name, double value)
    {
        if (double.IsFinite(value))
        {
            fields.Add(new(name, FieldValue.FromDouble(value)));
        }
    }

    private static string Format(double value) => value.ToString("G6", CultureInfo.InvariantCulture);

    private static string Playbook(string metric) => metric switch
    {
        "request_rate" => "Check the traffic source (campaign, retry storm, bot); the scaling stage scales out on a traffic spike.",
        "error_rate" => "Check recent deployments and downstream dependencies; roll back if errors started with a release.",
        "cpu_percent" => "Check for hot loops or load imbalance across instances; scale out if sustained.",
        _ when metric.StartsWith("latency", StringComparison.Ordinal) => "Check saturation (CPU, queue, DB pool) and slow dependencies; scale out if queues grow.",
        _ => "Compare with the expected value and recent changes to the service.",
    };
}
