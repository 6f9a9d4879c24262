namespace MetricsPipeline.Decisions.Simulation;

/// <summary>
/// p95/p99 latency as a function of utilisation ρ, rising steeply towards saturation:
/// p95 = base × (1 + ½ρ²/(1 − ρ)) (the simulated fleet's shape), saturating at <see cref="SaturatedMs"/>. Thread-safe.
/// </summary>
/// <param name="BaseP95Ms">p95 of an idle instance, in ms.</param>
public sealed record LatencyCurve(double BaseP95Ms)
{
    /// <summary>The latency reported once an instance is saturated (ρ ≥ 0.99), in ms.</summary>
    public const double SaturatedMs = 60_000;

    /// <summary>The p95 latency at utilisation <paramref name="rho"/>, in ms.</summary>
    public double P95(double rho) => rho >= 0.99 || double.IsNaN(rho) ? SaturatedMs : Math.Min(SaturatedMs, BaseP95Ms * (1 + (0.5 * rho * rho / (1 - Math.Max(0, rho)))));

    /// <summary>The p99 latency at utilisation <paramref name="rho"/>, in ms (a heavier tail than p95).</summary>
    public double P99(double rho) => rho >= 0.99 || double.IsNaN(rho) ? SaturatedMs : Math.Min(SaturatedMs, 1.6 * BaseP95Ms * (1 + (rho * rho / (1 - Math.Max(0, rho)))));

    /// <summary>The largest utilisation whose p95 stays within <paramref name="sloP95Ms"/> (0 if even idle violates it).</summary>
    public double MaxUtilization(double sloP95Ms)
    {
        if (P95(0) > sloP95Ms)
        {
            return 0;
        }

        double lo = 0;
        double hi = 0.99;
        for (int i = 0; i < 60; i++)
        {
            double mid = (lo + hi) / 2;
            (lo, hi) = P95(mid) <= sloP95Ms ? (mid, hi) : (lo, mid);
        }

        return lo;
    }
}
