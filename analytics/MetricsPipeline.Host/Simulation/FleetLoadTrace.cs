using MetricsPipeline.Decisions.Simulation;
using MetricsPipeline.Fleet;

namespace MetricsPipeline.Host.Simulation;

/// <summary>Builds a load trace from the simulated fleet: one service's total request rate per minute.</summary>
internal static class FleetLoadTrace
{
    /// <summary>The fleet's start time for simulations (a Monday, so weekly seasonality starts at its beginning).</summary>
    public static readonly DateTimeOffset Start = new(2026, 11, 2, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Generates <paramref name="days"/> days of <paramref name="service"/>'s request rate, with a 4× traffic spike on day 2 when <paramref name="withIncidents"/>.</summary>
    /// <exception cref="ArgumentException">Unknown service or non-positive days.</exception>
    public static LoadTrace Create(string service, int days, bool withIncidents, long seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(days, 1);
        // One instance and one-minute intervals: the instance's request rate is then the service's total load per minute.
        var options = new FleetOptions { Interval = TimeSpan.FromMinutes(1), LatencySamplesPerInterval = 0, InstancesPerService = 1, Seed = seed };
        // Checked before the incident is added: an incident on an unknown service fails in FleetOptions with a message
        // about its incident list, which the user never wrote.
        var services = new FleetSimulator(options).ServiceNames;
        if (!services.Contains(service, StringComparer.Ordinal))
        {
            throw new ArgumentException($"Unknown fleet service '{service}': use one of {string.Join(", ", services)}.");
        }

        if (withIncidents && days >= 2)
        {
            options.Incidents.Add(new TrafficSpike(service, Start.AddDays(1).AddHours(10), TimeSpan.FromHours(2), 4));
        }

        var fleet = new FleetSimulator(options);

        var points = new List<(DateTimeOffset, double)>(days * 1440);
        for (int i = 0; i < days * 1440; i++)
        {
            var time = Start.AddMinutes(i);
            long ns = (time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100;
            double sum = 0;
            foreach (var point in fleet.GenerateInterval(ns))
            {
                if (point.Measurement != "service" || !point.Tags.Any(kv => kv.Key == "service" && kv.Value == service))
                {
                    continue;
                }

                foreach (var field in point.Fields)
                {
                    if (field.Key == "request_rate" && field.Value.TryGetNumber(out double value))
                    {
                        sum += value;
                    }
                }
            }

            points.Add((time, sum));
        }

        return new LoadTrace($"fleet-{service}", points);
    }
}
