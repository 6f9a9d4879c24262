namespace MetricsPipeline.Forecasting;

/// <summary>Elementary SSA reconstructions: diagonal averaging of uᵢ(Xᵀuᵢ)ᵀ.</summary>
internal static class HankelReconstruction
{
    /// <summary>
    /// Adds the elementary reconstruction of eigenvector <paramref name="u"/> to <paramref name="dest"/> for the points
    /// t ∈ [<paramref name="from"/>, <paramref name="to"/>); <c>dest[0]</c> is point <paramref name="from"/>.
    /// </summary>
    public static void Add(ReadOnlySpan<double> x, ReadOnlySpan<double> u, int from, int to, Span<double> dest, Float32 f)
    {
        int l = u.Length;
        int n = x.Length;
        int k = n - l + 1;
        int kFrom = Math.Max(0, from - l + 1);
        int kTo = Math.Min(k, to);
        int kLen = kTo - kFrom;
        var v = new double[kLen];
        for (int j = 0; j < l; j++)
        {
            // v[k] = Σ_j u[j]·x[k+j], as one axpy per lag.
            VectorOps.Axpy(u[j], x.Slice(kFrom + j, kLen), v);
        }

        f.R(v);
        int len = to - from;
        var s = new double[len];
        for (int j = 0; j < l; j++)
        {
            // s[t] += u[j]·v[t−j] for the t in range whose column t−j exists.
            int tStart = Math.Max(from, kFrom + j);
            int tEnd = Math.Min(to, kTo + j);
            if (tEnd > tStart)
            {
                VectorOps.Axpy(u[j], v.AsSpan(tStart - j - kFrom, tEnd - tStart), s.AsSpan(tStart - from, tEnd - tStart));
            }
        }

        for (int t = from; t < to; t++)
        {
            int count = Math.Min(Math.Min(t + 1, l), Math.Min(k, n - t));
            dest[t - from] = f.R(dest[t - from] + (s[t - from] / count));
        }
    }
}
