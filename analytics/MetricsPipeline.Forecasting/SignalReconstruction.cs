namespace MetricsPipeline.Forecasting;

/// <summary>
/// The rank-r SSA signal of all N points at once: diagonal averaging of P·X with the projector P = W·Wᵀ. Where every
/// lag contributes (L−1 ≤ t ≤ K−1) this is a (2L−1)-tap filter, c_d = Σⱼ P[j][j+d]; only the 2(L−1) edge points need
/// the explicit sum. O(r·L² + L·N + L³) instead of O(r·L·K) for r elementary reconstructions.
/// </summary>
internal static class SignalReconstruction
{
    /// <summary>Returns x̂ (length N) for the first <paramref name="rank"/> eigenvectors in <paramref name="basis"/>.</summary>
    public static double[] Reconstruct(ReadOnlySpan<double> x, ReadOnlySpan<double> basis, int l, int rank, Float32 f)
    {
        int n = x.Length;
        int k = n - l + 1;
        var p = new double[l * l];
        for (int i = 0; i < rank; i++)
        {
            var u = basis.Slice(i * l, l);
            for (int j = 0; j < l; j++)
            {
                VectorOps.Axpy(u[j], u, p.AsSpan(j * l, l));
            }
        }

        // c[d + L − 1] = Σⱼ P[j][j+d], d = −(L−1)…L−1.
        var c = new double[(2 * l) - 1];
        for (int j = 0; j < l; j++)
        {
            for (int jj = 0; jj < l; jj++)
            {
                c[jj - j + l - 1] += p[(j * l) + jj];
            }
        }

        var signal = new double[n];
        for (int t = 0; t < n; t++)
        {
            int jFrom = Math.Max(0, t - k + 1);
            int jTo = Math.Min(l - 1, t);
            int count = jTo - jFrom + 1;
            double sum;
            if (count == l)
            {
                sum = VectorOps.Dot(c, x.Slice(t - l + 1, (2 * l) - 1));
            }
            else
            {
                sum = 0;
                for (int j = jFrom; j <= jTo; j++)
                {
                    sum += VectorOps.Dot(p.AsSpan(j * l, l), x.Slice(t - j, l));
                }
            }

            signal[t] = f.R(sum / count);
        }

        return signal;
    }
}
