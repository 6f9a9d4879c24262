using MetricsPipeline.Ingest.Model;

namespace MetricsPipeline.Sinks.Tests.Support;

internal static class Points
{
    public static MetricPoint Cpu(string host, double value, long timestampNs) => new(
        "cpu",
        [new("host", host)],
        [new("usage", FieldValue.FromDouble(value))],
        timestampNs);
}
