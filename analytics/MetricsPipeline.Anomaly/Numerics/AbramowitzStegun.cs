namespace MetricsPipeline.Anomaly.Numerics;

/// <summary>The error function approximation ML.NET uses (Abramowitz–Stegun 7.1.26, |error| ≤ 1.5e-7).</summary>
internal static class AbramowitzStegun
{
    private const double A1 = 0.254829592;
    private const double A2 = -0.284496736;
    private const double A3 = 1.421413741;
    private const double A4 = -1.453152027;
    private const double A5 = 1.061405429;
    private const double P = 0.3275911;

    /// <summary>Erf(x). Erf(0) is 1e-9, not 0: the p-value parity with ML.NET depends on that.</summary>
    public static double Erf(double x)
    {
        if (double.IsPositiveInfinity(x))
        {
            return 1;
        }

        if (double.IsNegativeInfinity(x))
        {
            return -1;
        }

        var sign = x < 0 ? -1 : 1;
        x = Math.Abs(x);
        var t = 1.0 / (1.0 + (P * x));
        var y = 1.0 - (((((((((A5 * t) + A4) * t) + A3) * t) + A2) * t) + A1) * t * Math.Exp(-x * x));
        return sign * y;
    }
}
