namespace MetricsPipeline.Fleet;

/// <summary>
/// One service's metric from the simulated fleet as a regular series (one value per step), for offline tools such as
/// backtests and the scaling simulator: the same simulator, seed and schema as <c>demo</c>/<c>fleet</c>, aggregated the
/// way the stream's default forecast series are (request rate summed over instances, cpu averaged, p95 over samples).
/// </summary>
public static class FleetTrace
{
    /// <summary>Simulates <paramref name="duration"/> from <paramref name="start"/> and aggregates it per <paramref name="step"/>.</summary>
    /// <param name="options">Fleet settings (seed, interval, services…); validated.</param>
    /// <param name="service">The service to extract.</param>
    /// <param name="metric">The series.</param>
    /// <param name="start">First interval start.</param>
    /// <param name="duration">Simulated time; a trailing partial step is dropped.</param>
    /// <param name="step">Output spacing; a whole multiple of <see cref="FleetOptions.Interval"/>.</param>
    /// <exception cref="ArgumentException">Unknown service, or the step is not a positive multiple of the interval.</exception>
    public static List<FleetTracePoint> Generate(FleetOptions options, string service, FleetTraceMetric metric, DateTimeOffset start, TimeSpan duration, TimeSpan step)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var simulator = new FleetSimulator(options);
        if (!simulator.ServiceNames.Contains(service, StringComparer.Ordinal))
        {
            throw new ArgumentException($"Unknown service '{service}'; the fleet has {string.Join(", ", simulator.ServiceNames)}.", nameof(service));
        }

        long intervalTicks = options.Interval.Ticks;
        if (step <= TimeSpan.Zero || step.Ticks % intervalTicks != 0)
        {
            throw new ArgumentException($"The step ({step}) must be a positive multiple of the fleet interval ({options.Interval}).", nameof(step));
        }

        int perStep = (int)(step.Ticks / intervalTicks);
        long steps = duration.Ticks / step.Ticks;
        var rows = new List<FleetTracePoint>((int)Math.Min(steps, 1 << 20));
        var latencies = new List<double>();
        long startNs = (start.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100;
        for (long k = 0; k < steps; k++)
        {
            double sum = 0;
            int count = 0;
            latencies.Clear();
            for (int j = 0; j < perStep; j++)
            {
                long ns = startNs + (((k * perStep) + j) * intervalTicks * 100);
                double intervalSum = 0;
                int instances = 0;
                foreach (var p in simulator.GenerateInterval(ns))
                {
                    if (!string.Equals(p.GetTag(FleetSchema.ServiceTag), service, StringComparison.Ordinal))
                    {
                        continue;
                    }

                    if (metric == FleetTraceMetric.P95)
                    {
                        if (p.Measurement == FleetSchema.HttpRequestMeasurement && p.GetField(FleetSchema.LatencyMs) is { } latency)
                        {
                            latencies.Add(latency.AsDouble);
                        }
                    }
                    else if (p.Measurement == FleetSchema.ServiceMeasurement
                        && p.GetField(metric == FleetTraceMetric.Cpu ? FleetSchema.CpuPercent : FleetSchema.RequestRate) is { } value)
                    {
                        intervalSum += value.AsDouble;
                        instances++;
                    }
                }

                if (instances > 0)
                {
                    // Requests: the service's total for the interval; cpu: the mean over its instances.
                    sum += metric == FleetTraceMetric.Cpu ? intervalSum / instances : intervalSum;
                    count++;
                }
            }

            double v = metric == FleetTraceMetric.P95 ? NearestRank(latencies, 0.95) : count == 0 ? double.NaN : sum / count;
            rows.Add(new FleetTracePoint(start + TimeSpan.FromTicks(k * step.Ticks), v));
        }

        return rows;
    }

    private static double NearestRank(List<double> values, double q)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        values.Sort();
        return values[Math.Clamp((int)Math.Ceiling(q * values.Count) - 1, 0, values.Count - 1)];
    }
}
