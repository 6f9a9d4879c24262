namespace MetricsPipeline.Fleet;

/// <summary>
/// The arithmetic of the simulation. Everything is a function of (settings, service, instance index, instance
/// count, interval start): no state is carried between intervals, so any interval can be generated on its own.
/// That is also why queue depth is a per-interval backlog rather than an accumulating one.
/// </summary>
internal static class FleetModel
{
    private const double NsPerHour = 3_600_000_000_000.0;
    private const double NsPerDay = 24 * NsPerHour;

    // RNG streams, so the service-level, instance-level and latency numbers never share a sequence.
    private const ulong LoadStream = 1;
    private const ulong InstanceStream = 2;
    public const ulong LatencyStream = 3;

    /// <summary>The utilisation at which the queueing curve stops growing hyperbolically.</summary>
    private const double RhoKnee = 0.97;

    /// <summary>Total load of a service in requests per second at <paramref name="tNs"/>.</summary>
    public static double Load(FleetOptions o, ServiceState s, long tNs)
    {
        var days = (tNs - FleetTime.ToUnixNanoseconds(o.GrowthOrigin)) / NsPerDay;
        var growth = Math.Pow(1 + o.GrowthPerDay, days);
        var load = s.Profile.BaseRequestRate * growth * Seasonality(o, tNs);
        var rng = new SeriesRandom(o.Seed, s.Hash, tNs, LoadStream);
        load *= Math.Max(0.05, 1 + o.NoiseLevel * rng.NextGaussian());
        foreach (var spike in s.Spikes)
        {
            if (spike.IsActiveAt(tNs))
            {
                load *= spike.Multiplier;
            }
        }

        return load;
    }

    /// <summary>The daily × weekly seasonal factor at <paramref name="tNs"/> (see <see cref="FleetOptions.DailyAmplitude"/>).</summary>
    public static double Seasonality(FleetOptions o, long tNs)
    {
        var hourOfDay = PositiveModulo(tNs, (long)NsPerDay) / NsPerHour;
        var daily = 1 + o.DailyAmplitude * Math.Cos(2 * Math.PI * (hourOfDay - o.DailyPeakHourUtc) / 24);
        // The Unix epoch was a Thursday: day 4 of a week starting on Sunday.
        var dayOfWeek = (PositiveModulo(tNs, 7 * (long)NsPerDay) / NsPerDay + 4) % 7;
        var weekly = 1 + o.WeeklyAmplitude * Math.Cos(2 * Math.PI * (dayOfWeek - 3.5) / 7);
        return daily * weekly;
    }

    /// <summary>The product of the latency degradation factors in effect.</summary>
    public static double Degradation(ServiceState s, long tNs)
    {
        var factor = 1.0;
        foreach (var d in s.Degradations)
        {
            if (d.IsActiveAt(tNs))
            {
                factor *= d.Factor;
            }
        }

        return factor;
    }

    /// <summary>
    /// Latency multiplier of the utilisation ρ: 1 + ½ρ²/(1 − ρ) (an M/M/1-like waiting term), which is 1.2 at
    /// ρ = 0.45, 2.1 at 0.75, 5 at 0.9 and 17 at the knee 0.97; beyond the knee it keeps rising linearly.
    /// </summary>
    public static double LatencyCurve(double rho)
    {
        var r = Math.Min(rho, RhoKnee);
        var f = 1 + 0.5 * r * r / (1 - r);
        return rho <= RhoKnee ? f : f * (1 + 5 * (rho - RhoKnee));
    }

    /// <summary>Computes the <c>service</c> values of instance <paramref name="index"/> of <paramref name="count"/>.</summary>
    public static void Instance(FleetOptions o, ServiceState s, int index, int count, double load, double degradation,
        long tNs, double intervalSeconds, out InstanceSample sample)
    {
        var p = s.Profile;
        var instanceHash = s.InstanceHash(index);
        var rng = new SeriesRandom(o.Seed, instanceHash, tNs, InstanceStream);
        var noise = o.NoiseLevel;

        // A little imbalance between instances, as a real load balancer has.
        var rate = Math.Max(0, load / count * (1 + 0.6 * noise * rng.NextGaussian()));
        var rho = rate / p.CapacityPerInstance;
        var curve = LatencyCurve(rho);

        sample.Instances = count;
        sample.RequestRate = Round(rate, 3);
        sample.CpuPercent = Round(Math.Clamp(3 + 90 * rho + 20 * noise * rng.NextGaussian(), 0, 100), 2);

        var errors = p.BaseErrorPercent * Math.Max(0, 1 + 6 * noise * rng.NextGaussian()) * Math.Sqrt(degradation);
        if (rho > 0.85)
        {
            errors += 30 * (rho - 0.85) * (rho - 0.85);
        }

        if (rho > 1)
        {
            errors += 100 * (1 - 1 / rho); // requests beyond capacity are shed
        }

        sample.ErrorRate = Round(Math.Clamp(errors, 0, 100), 3);

        // M/M/1 queue length below the knee; beyond it, one interval's worth of excess requests waits.
        var queue = rho < RhoKnee
            ? rho * rho / (1 - rho)
            : RhoKnee * RhoKnee / (1 - RhoKnee) + (rate - RhoKnee * p.CapacityPerInstance) * intervalSeconds;
        sample.QueueDepth = (long)Math.Round(Math.Min(1e7, queue * Math.Max(0, 1 + 4 * noise * rng.NextGaussian())));

        // Little's law: connections in use = arrival rate × hold time; holds stretch with latency.
        var connections = rate * p.DbHoldMs / 1000 * curve * degradation * Math.Max(0, 1 + 2 * noise * rng.NextGaussian());
        sample.DbPoolSize = p.DbPoolSize;
        sample.DbConnections = Math.Min(p.DbPoolSize, (long)Math.Round(connections));
        sample.ActiveUsers = (long)Math.Round(rate * p.UsersPerRequestPerSecond * Math.Max(0, 1 + noise * rng.NextGaussian()));

        sample.MemoryPercent = Round(Math.Clamp(Memory(o, s, instanceHash, rho, tNs) + 10 * noise * rng.NextGaussian(), 0, 100), 2);
        sample.MedianLatencyMs = p.MedianLatencyMs * curve * degradation;
    }

    private static double Memory(FleetOptions o, ServiceState s, ulong instanceHash, double rho, long tNs)
    {
        // Each instance has its own resting level and a slow 6-hour drift with its own phase.
        var offset = ((instanceHash & 0xFFFF) / 65535.0 - 0.5) * 12;
        var phase = ((instanceHash >> 16) & 0xFFFF) / 65535.0 * 2 * Math.PI;
        var resting = s.Profile.BaseMemoryPercent + offset;
        var memory = resting + 4 * Math.Sin(2 * Math.PI * tNs / (6 * NsPerHour) + phase) + 8 * Math.Min(rho, 1.5);
        foreach (var leak in s.Leaks)
        {
            if (!leak.IsActiveAt(tNs))
            {
                continue;
            }

            // Leaked memory grows until the instance would pass the restart threshold; the restart frees it.
            var headroom = Math.Max(1, o.MemoryRestartPercent - (resting + 16));
            var cycleHours = headroom / leak.PercentPerHour;
            var hours = leak.HoursSinceStart(tNs);
            memory += leak.PercentPerHour * (hours % cycleHours);
        }

        return memory;
    }

    /// <summary>One latency sample in ms for an instance whose current median is <paramref name="median"/>.</summary>
    public static double LatencySample(ServiceProfile p, double median, ref SeriesRandom rng)
    {
        double value;
        if (rng.NextDouble() < p.TailProbability)
        {
            // Pareto tail: rare, very slow requests (GC pauses, retries, cold caches).
            value = median * p.TailScale * Math.Pow(rng.NextDoubleNonZero(), -1 / p.TailAlpha);
            value = Math.Min(value, median * 500);
        }
        else
        {
            value = median * Math.Exp(p.LatencySigma * rng.NextGaussian());
        }

        return Round(value, 3);
    }

    /// <summary>Rounds and turns −0 into +0, so the text form is short and never "-0".</summary>
    public static double Round(double value, int digits) => Math.Round(value, digits) + 0.0;

    private static double PositiveModulo(long value, long modulus)
    {
        var m = value % modulus;
        return m < 0 ? m + modulus : m;
    }
}
