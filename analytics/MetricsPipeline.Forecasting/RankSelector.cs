namespace MetricsPipeline.Forecasting;

/// <summary>ML.NET's signal-rank selection: the rank whose free-run recurrence best tracks the training tail.</summary>
internal static class RankSelector
{
    /// <summary>Selects the rank with <paramref name="method"/> and reconstructs the signal for the noise moments.</summary>
    public static RankSelection Select(ReadOnlySpan<double> x, double[] basis, int l, int maxRank, int? fixedRank, RankSelectionMethod method, Float32 f)
    {
        return method switch
        {
            RankSelectionMethod.Fixed => Fixed(x, basis, l, fixedRank ?? maxRank, f),
            RankSelectionMethod.Fast => Search(x, basis, l, maxRank, fast: true, f),
            _ => Search(x, basis, l, maxRank, fast: false, f),
        };
    }

    private static RankSelection Fixed(ReadOnlySpan<double> x, double[] basis, int l, int rank, Float32 f)
    {
        var signal = new double[x.Length];
        for (int i = 0; i < rank; i++)
        {
            HankelReconstruction.Add(x, basis.AsSpan(i * l, l), 0, x.Length, signal, f);
        }

        return new RankSelection(rank, signal);
    }

    private static RankSelection Search(ReadOnlySpan<double> x, double[] basis, int l, int maxRank, bool fast, Float32 f)
    {
        int n = x.Length;
        int m = l - 1;
        int k = n - l + 1;
        int evalLen = Math.Min(Math.Max(l, 200), k);
        int seedFrom = n - evalLen - m;

        // Exact reconstructs all N points; Fast only the m-value seed window before the evaluation tail.
        int from = fast ? seedFrom : 0;
        int to = fast ? n - evalLen : n;
        var recon = new double[to - from];
        var alpha = new double[m];
        var run = new double[m + evalLen];
        double nu = 0;
        double best = double.PositiveInfinity;
        int bestRank = maxRank;
        double[]? bestSignal = null;
        for (int i = 0; i < maxRank; i++)
        {
            var u = basis.AsSpan(i * l, l);
            double lambda = u[m];
            for (int j = 0; j < m; j++)
            {
                alpha[j] = f.R(alpha[j] + (lambda * u[j]));
            }

            nu = f.R(nu + (lambda * lambda));
            HankelReconstruction.Add(x, u, from, to, recon, f);
            double mean = 0;
            for (int t = from; t < to; t++)
            {
                mean += x[t] - recon[t - from];
            }

            mean = f.R(mean / (to - from));
            recon.AsSpan(seedFrom - from, m).CopyTo(run);
            double err = 0;
            double scale = 1 - nu;
            for (int t = 0; t < evalLen; t++)
            {
                // Free run: w[0] oldest … w[m−1] newest, each prediction fed back into the window.
                double p = f.R((VectorOps.Dot(alpha, run.AsSpan(t, m)) / scale) + mean);
                run[m + t] = p;
                err += Math.Abs(x[n - evalLen + t] - p);
                if (err > best)
                {
                    break;
                }
            }

            if (err < best)
            {
                best = err;
                bestRank = i + 1;
                bestSignal = fast ? null : (double[])recon.Clone();
            }
        }

        if (fast)
        {
            return new RankSelection(bestRank, Tail(x, basis, l, bestRank, f));
        }

        return new RankSelection(bestRank, bestSignal ?? Fixed(x, basis, l, bestRank, f).Signal);
    }

    /// <summary>
    /// The Fast path's signal: the last 2L−1 points, by exact diagonal averaging over the full trajectory (ML.NET uses a
    /// two-column shortcut for the same points; the reference does not pin its arithmetic down).
    /// </summary>
    private static double[] Tail(ReadOnlySpan<double> x, double[] basis, int l, int rank, Float32 f)
    {
        int n = x.Length;
        int from = n - ((2 * l) - 1);
        var tail = new double[n - from];
        for (int i = 0; i < rank; i++)
        {
            HankelReconstruction.Add(x, basis.AsSpan(i * l, l), from, n, tail, f);
        }

        return tail;
    }
}
