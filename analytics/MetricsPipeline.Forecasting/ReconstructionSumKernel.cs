namespace MetricsPipeline.Forecasting;

/// <summary>
/// Sum over all N points of an elementary reconstruction, as a quadratic form: Σₜ x̂ᵢ[t] = uᵢᵀ·M·uᵢ with
/// M[j][j'] = Σₖ w[j+k]·x[j'+k] and w[t] = 1/(number of anti-diagonal terms at t). Exact rank selection needs only
/// this mean and the seed window per rank, so it skips the O(L·K) full reconstruction of every candidate rank.
/// </summary>
internal static class ReconstructionSumKernel
{
    /// <summary>Builds M (L×L, row-major) in O(L·K + L²) with the same shift recurrence as the lag covariance.</summary>
    public static double[] Build(ReadOnlySpan<double> x, int l)
    {
        int n = x.Length;
        int k = n - l + 1;
        var w = new double[n];
        for (int t = 0; t < n; t++)
        {
            w[t] = 1.0 / Math.Min(Math.Min(t + 1, l), Math.Min(k, n - t));
        }

        var m = new double[l * l];
        for (int j = 0; j < l; j++)
        {
            // Row 0 and column 0 directly; everything else by shifting both indices.
            m[j] = VectorOps.Dot(w.AsSpan(0, k), x.Slice(j, k));
            m[j * l] = VectorOps.Dot(w.AsSpan(j, k), x[..k]);
        }

        for (int j = 1; j < l; j++)
        {
            for (int jj = 1; jj < l; jj++)
            {
                m[(j * l) + jj] = m[((j - 1) * l) + jj - 1] - (w[j - 1] * x[jj - 1]) + (w[j - 1 + k] * x[jj - 1 + k]);
            }
        }

        return m;
    }

    /// <summary>uᵀ·M·u.</summary>
    public static double QuadraticForm(double[] m, ReadOnlySpan<double> u)
    {
        int l = u.Length;
        double sum = 0;
        for (int j = 0; j < l; j++)
        {
            sum += u[j] * VectorOps.Dot(m.AsSpan(j * l, l), u);
        }

        return sum;
    }
}
