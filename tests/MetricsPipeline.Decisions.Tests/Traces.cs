using MetricsPipeline.Decisions.Simulation;
using MetricsPipeline.Fleet;

namespace MetricsPipeline.Decisions.Tests;

internal static class Traces
{
    public static readonly DateTimeOffset Start = new(2026, 11, 2, 0, 0, 0, TimeSpan.Zero);

    /// <summary>A daily sine around 1000/s sampled every 5 minutes with ±1.5 % noise.</summary>
    public static LoadTrace Sine(int days = 7, int seed = 7)
    {
        var random = new Random(seed);
        return new LoadTrace("sine", Enumerable.Range(0, days * 288).Select(i =>
            (Start.AddMinutes(5 * i), 1000 * (1 + (0.5 * Math.Sin(2 * Math.PI * i / 288))) * (1 + (0.03 * (random.NextDouble() - 0.5))))));
    }

    public static LoadTrace Flat(double load, int minutes) =>
        new("flat", Enumerable.Range(0, minutes).Select(i => (Start.AddMinutes(i), load)));

    /// <summary>The simulated fleet's total <c>api</c> request rate per minute, with the given incidents.</summary>
    public static LoadTrace Fleet(int days, params Incident[] incidents)
    {
        var options = new FleetOptions { Interval = TimeSpan.FromMinutes(1), LatencySamplesPerInterval = 0, InstancesPerService = 1 };
        foreach (var incident in incidents)
        {
            options.Incidents.Add(incident);
        }

        var fleet = new FleetSimulator(options);
        var points = new List<(DateTimeOffset, double)>();
        for (int i = 0; i < days * 1440; i++)
        {
            var t = Start.AddMinutes(i);
            long ns = (t.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100;
            double sum = 0;
            foreach (var point in fleet.GenerateInterval(ns))
            {
                if (point.Measurement == "service" && point.Tags.Any(kv => kv is { Key: "service", Value: "api" }))
                {
                    foreach (var field in point.Fields)
                    {
                        if (field.Key == "request_rate" && field.Value.TryGetNumber(out double value))
                        {
                            sum += value;
                        }
                    }
                }
            }

            points.Add((t, sum));
        }

        return new LoadTrace("fleet-api", points);
    }
}
