using System.Numerics;

namespace MetricsPipeline.Forecasting;

/// <summary>
/// ML.NET's stabilisation of the recurrence: caps the characteristic roots so forecasts cannot grow exponentially
/// (section 1.2 step 7 of the reference, step by step).
/// </summary>
internal static class RecurrenceStabilizer
{
    private const double Eps = 1e-9;

    /// <summary>
    /// How far from the unit circle (relative) a root must be to count as growing, in the default mode. A series that
    /// repeats exactly with period L gives roots on the circle that rounding puts 1e-15 outside it, and a period of
    /// L + 1e-14: read literally, the season became an "unobserved period", then a damped trend (a sine with L = its
    /// period was forecast with an error of its whole amplitude). ML.NET compares exactly; the MlNet mode does too.
    /// </summary>
    internal const double DefaultTolerance = 1e-9;

    /// <summary>Stabilises <paramref name="alpha"/> in place; returns false (α unchanged) if root finding fails.</summary>
    public static bool Stabilize(Span<double> alpha, int windowSize, double maxTrendRatio, Float32 f)
    {
        int m = alpha.Length;
        if (m == 1)
        {
            alpha[0] = Math.Clamp(alpha[0], -1, 1);
            return true;
        }

        var c = new double[m];
        for (int j = 0; j < m; j++)
        {
            c[j] = -alpha[j];
        }

        var roots = PolynomialRoots.Find(c);
        if (roots is null)
        {
            return false;
        }

        var original = (Complex[])roots.Clone();
        Adjust(roots, windowSize, maxTrendRatio, f.Enabled ? 0 : DefaultTolerance);

        // Rebuilding a high-degree polynomial from all its roots loses every digit (m can be hundreds); instead divide
        // out each moved root and multiply in its replacement, which touches only the roots that changed.
        var rebuilt = PolynomialRoots.Replace(c, original, roots);
        foreach (double v in rebuilt)
        {
            if (!double.IsFinite(v))
            {
                return false;
            }
        }

        for (int j = 0; j < m; j++)
        {
            alpha[j] = f.R(-rebuilt[j]);
        }

        return true;
    }

    /// <summary>Applies the root adjustments (trend set, unobserved periods, clustering, magnitude caps, snapping).</summary>
    /// <param name="roots">The characteristic roots, adjusted in place.</param>
    /// <param name="windowSize">The window length L.</param>
    /// <param name="maxTrendRatio">The growth cap.</param>
    /// <param name="tolerance">Relative margin a root must clear to count as outside the unit circle or a period as longer than L (0 = exact, as ML.NET).</param>
    internal static void Adjust(Complex[] roots, int windowSize, double maxTrendRatio, double tolerance = 0)
    {
        int m = roots.Length;
        double outside = 1 + tolerance;
        var trend = new List<int>();
        for (int i = 0; i < m; i++)
        {
            if (roots[i].Magnitude > outside && (IsPositiveReal(roots[i]) || IsNegativeReal(roots[i])))
            {
                trend.Add(i);
            }
        }

        bool polyTrend = false;
        var seasonal = new List<int>();
        for (int i = 0; i < m; i++)
        {
            double phase = roots[i].Phase;
            if (phase == 0)
            {
                continue;
            }

            if (roots[i].Magnitude >= 1 && 2 * Math.PI / Math.Abs(phase) > windowSize * outside)
            {
                // A period longer than the window cannot have been observed: treat it as a trend.
                roots[i] = new Complex(roots[i].Real, 0);
                polyTrend = true;
            }
            else if (roots[i].Magnitude > outside)
            {
                seasonal.Add(i);
            }
        }

        if (maxTrendRatio > 1)
        {
            if (polyTrend && seasonal.Count > 1)
            {
                Cluster(roots, seasonal);
            }
            else if (!polyTrend)
            {
                int ind1 = trend.FirstOrDefault(i => Math.Abs(roots[i].Phase) <= Eps, -1);
                int ind2 = ind1 < 0 ? -1 : Enumerable.Range(0, m).FirstOrDefault(i => i != ind1 && Math.Abs(roots[i].Phase) <= Eps && roots[i].Magnitude >= 0.9, -1);
                if (ind1 >= 0 && ind2 >= 0)
                {
                    roots[ind1] = Complex.One;
                    roots[ind2] = Complex.One;
                    polyTrend = true;
                }
            }
        }

        double maxTrend;
        if (polyTrend)
        {
            maxTrend = Math.Min(1, maxTrendRatio);
            foreach (int i in trend)
            {
                roots[i] = Complex.FromPolarCoordinates(0.99, roots[i].Phase);
            }
        }
        else
        {
            maxTrend = 1;
            for (int i = 0; i < m; i++)
            {
                if (roots[i].Magnitude > outside && Math.Abs(roots[i].Phase) <= Eps)
                {
                    maxTrend = Math.Max(maxTrend, roots[i].Magnitude);
                }
            }

            maxTrend = Math.Min(maxTrend, maxTrendRatio);
        }

        for (int i = 0; i < m; i++)
        {
            double phase = Math.Abs(roots[i].Phase);
            if (roots[i].Magnitude >= maxTrend)
            {
                bool highFrequency = phase > Math.PI / 2 && phase < Math.PI - Eps;
                double magnitude = highFrequency ? Math.Min(maxTrend, (maxTrend + 1) / 2) : maxTrend;
                roots[i] = Complex.FromPolarCoordinates(magnitude, roots[i].Phase);
            }

            if (phase <= Eps)
            {
                roots[i] = new Complex(roots[i].Magnitude, 0);
            }
            else if (Math.Abs(phase - Math.PI) <= Eps)
            {
                roots[i] = new Complex(-roots[i].Magnitude, 0);
            }
        }
    }

    private static bool IsPositiveReal(Complex z) => Math.Abs(z.Phase) <= Eps;

    private static bool IsNegativeReal(Complex z) => Math.Abs(Math.Abs(z.Phase) - Math.PI) <= Eps;

    /// <summary>Averages neighbouring seasonal roots (same sign of phase, phases within 0.05) into one magnitude/phase.</summary>
    private static void Cluster(Complex[] roots, List<int> seasonal)
    {
        var sorted = seasonal.OrderBy(i => roots[i].Phase).ToList();
        int start = 0;
        for (int s = 1; s <= sorted.Count; s++)
        {
            bool sameCluster = s < sorted.Count
                && Math.Sign(roots[sorted[s]].Phase) == Math.Sign(roots[sorted[s - 1]].Phase)
                && roots[sorted[s]].Phase - roots[sorted[s - 1]].Phase <= 0.05;
            if (sameCluster)
            {
                continue;
            }

            int size = s - start;
            if (size > 1)
            {
                double magnitude = 0;
                double phase = 0;
                for (int q = start; q < s; q++)
                {
                    magnitude += roots[sorted[q]].Magnitude;
                    phase += roots[sorted[q]].Phase;
                }

                var average = Complex.FromPolarCoordinates(magnitude / size, phase / size);
                for (int q = start; q < s; q++)
                {
                    roots[sorted[q]] = average;
                }
            }

            start = s;
        }
    }
}
