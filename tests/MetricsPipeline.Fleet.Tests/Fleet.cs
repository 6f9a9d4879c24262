using System.Text;
using MetricsPipeline.Ingest.Model;

namespace MetricsPipeline.Fleet.Tests;

/// <summary>Helpers shared by the fleet tests.</summary>
internal static class Fleet
{
    /// <summary>Wednesday 2026-11-04 00:00 UTC: a weekday near the default growth origin.</summary>
    public static readonly DateTimeOffset Wednesday = new(2026, 11, 4, 0, 0, 0, TimeSpan.Zero);

    public static long Ns(DateTimeOffset time) => FleetTime.ToUnixNanoseconds(time);

    public static string WriteToString(FleetSimulator sim, long startNs)
    {
        var sb = new StringBuilder();
        sim.WriteInterval(startNs, (key, line) => sb.Append(Encoding.UTF8.GetString(line)));
        return sb.ToString();
    }

    public static IEnumerable<MetricPoint> ServicePoints(IEnumerable<MetricPoint> points, string service) =>
        points.Where(p => p.Measurement == FleetSchema.ServiceMeasurement && p.GetTag(FleetSchema.ServiceTag) == service);

    public static IEnumerable<double> Latencies(IEnumerable<MetricPoint> points, string service) =>
        points.Where(p => p.Measurement == FleetSchema.HttpRequestMeasurement && p.GetTag(FleetSchema.ServiceTag) == service)
            .Select(p => p.GetField(FleetSchema.LatencyMs)!.Value.AsDouble);

    public static double Field(MetricPoint point, string name)
    {
        Assert.True(point.GetField(name)!.Value.TryGetNumber(out var value));
        return value;
    }

    /// <summary>Sum over instances of a service field, averaged over <paramref name="intervals"/> intervals from <paramref name="start"/>.</summary>
    public static double MeanTotal(FleetSimulator sim, DateTimeOffset start, int intervals, string service, string field)
    {
        var total = 0.0;
        for (var k = 0; k < intervals; k++)
        {
            var points = sim.GenerateInterval(Ns(start) + k * sim.IntervalNanoseconds);
            total += ServicePoints(points, service).Sum(p => Field(p, field));
        }

        return total / intervals;
    }

    public static double Percentile(IEnumerable<double> values, double p)
    {
        var sorted = values.Order().ToArray();
        var rank = (int)Math.Ceiling(p * sorted.Length) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Length - 1)];
    }
}
