namespace MetricsPipeline.Forecasting;

/// <summary>Forecast standard deviations per horizon step from the recurrence and the noise variances.</summary>
internal static class ForecastVariance
{
    /// <summary>
    /// Fills <paramref name="sd"/> with the forecast standard deviation of steps 1…h. With <paramref name="skipPsi1"/>
    /// (ML.NET) the ψ-weights start at ψ₂; otherwise the textbook recursion var[h] = var[h−1] + σ²ψ_h² with ψ₁ = α[m−1].
    /// </summary>
    public static void Compute(ReadOnlySpan<double> alpha, double arVariance, double obsVariance, bool skipPsi1, Span<double> sd, Float32 f)
    {
        int m = alpha.Length;
        int h = sd.Length;
        if (h == 0)
        {
            return;
        }

        // "last" is a queue of the m most recent ψ-weights, oldest first.
        var last = new double[m + h];
        if (m >= 2)
        {
            last[m - 2] = skipPsi1 ? 1 : 0;
            last[m - 1] = skipPsi1 ? alpha[m - 1] : 1;
        }
        else
        {
            last[0] = skipPsi1 ? alpha[0] : 1;
        }

        double variance = f.R(arVariance + obsVariance);
        sd[0] = f.R(Math.Sqrt(variance));
        for (int i = 1; i < h; i++)
        {
            double t = f.R(VectorOps.Dot(alpha, last.AsSpan(i - 1, m)));
            last[m + i - 1] = t;
            variance = f.R(variance + (arVariance * t * t));
            sd[i] = f.R(Math.Sqrt(variance));
        }
    }
}
