namespace MetricsPipeline.Forecasting;

/// <summary>ML.NET's SSA training: trajectory covariance, eigenvectors, rank, LRF, stabilisation, noise, state.</summary>
internal static class SsaTrainer
{
    /// <summary>Trains on the non-NaN values among the first <c>TrainSize</c> elements of <paramref name="series"/> (options already validated).</summary>
    public static SsaModelState Train(SsaForecasterOptions options, ReadOnlySpan<double> series)
    {
        var f = new Float32(options.Compatibility == SsaCompatibility.MlNet);
        var x = TrainingValues(series, options.TrainSize, f);
        int l = options.WindowSize;
        int maxRank = options.EffectiveMaxRank;
        if (x.Length <= 2 * l)
        {
            // ML.NET logs a warning and leaves α = 0: every forecast is 0.
            return Untrained(l);
        }

        double[]? basis = null;
        while (basis is null)
        {
            var c = LagCovariance.Build(x, l, f);
            if (!SymmetricEigen.TryDecompose(c, l, f, out _, out var vectors))
            {
                return Naive(x, l, options, f);
            }

            if (!HasStandardEigenvector(vectors, l))
            {
                basis = vectors;
                break;
            }

            if (l == 2)
            {
                return Naive(x, l, options, f);
            }

            // A unit eigenvector makes the LRF undefined; ML.NET retries with a shorter window.
            l--;
            maxRank = l / 2;
        }

        maxRank = Math.Clamp(maxRank, 1, l - 1);
        int? fixedRank = options.Rank is { } r ? Math.Min(r, maxRank) : null;
        var selection = RankSelector.Select(x, basis, l, maxRank, fixedRank, options.RankSelectionMethod, f);
        return Finish(x, l, basis.AsSpan(0, selection.Rank * l).ToArray(), selection.Rank, selection.Signal, options, f, stabilize: options.ShouldStabilize);
    }

    private static double[] TrainingValues(ReadOnlySpan<double> series, int trainSize, Float32 f)
    {
        var values = new List<double>(Math.Min(series.Length, trainSize));
        for (int i = 0; i < series.Length && i < trainSize; i++)
        {
            if (!double.IsNaN(series[i]))
            {
                values.Add(f.R(series[i]));
            }
        }

        return [.. values];
    }

    private static bool HasStandardEigenvector(double[] vectors, int l)
    {
        for (int i = 0; i < l; i++)
        {
            float v = (float)vectors[(i * l) + l - 1];
            if (v * v == 1f)
            {
                return true;
            }
        }

        return false;
    }

    private static SsaModelState Untrained(int l) => new()
    {
        WindowSize = l,
        Alpha = new double[l - 1],
        State = new double[l - 1],
        Recent = new double[l - 1],
    };

    /// <summary>The naive model: rank 1 with the constant eigenvector, i.e. a moving average of the last L−1 values.</summary>
    private static SsaModelState Naive(double[] x, int l, SsaForecasterOptions options, Float32 f)
    {
        var basis = new double[l];
        Array.Fill(basis, f.R(1 / Math.Sqrt(l)));
        var signal = new double[x.Length];
        HankelReconstruction.Add(x, basis, 0, x.Length, signal, f);
        return Finish(x, l, basis, 1, signal, options, f, stabilize: false);
    }

    private static SsaModelState Finish(double[] x, int l, double[] basis, int rank, double[] signal, SsaForecasterOptions options, Float32 f, bool stabilize)
    {
        int m = l - 1;
        var alpha = new double[m];
        RecurrentFormula.Compute(basis, l, rank, alpha, f);
        if (stabilize)
        {
            double maxTrendRatio = options.MaxGrowth?.Ratio ?? double.PositiveInfinity;
            RecurrenceStabilizer.Stabilize(alpha, l, maxTrendRatio, f);
        }

        var noise = default(NoiseMoments);
        if (options.ComputeConfidenceBounds)
        {
            noise = NoiseMoments.Compute(x, signal, alpha, l, f);
            if (!options.IncludeNoiseMeans || f.Enabled)
            {
                noise = noise with { ObservationMean = 0, AutoregressiveMean = 0 };
            }
        }

        var state = new double[m];
        var tail = x.AsSpan(x.Length - l, l);
        var smoothed = new double[l];
        for (int i = 0; i < rank; i++)
        {
            var u = basis.AsSpan(i * l, l);
            VectorOps.Axpy(f.R(VectorOps.Dot(u, tail)), u, smoothed);
        }

        f.R(smoothed);
        smoothed.AsSpan(1, m).CopyTo(state);
        double bias = noise.ObservationMean + noise.AutoregressiveMean;
        return new SsaModelState
        {
            WindowSize = l,
            Rank = rank,
            IsTrained = true,
            Basis = basis,
            Alpha = alpha,
            State = state,
            NextPrediction = f.R(bias + VectorOps.Dot(alpha, state)),
            Noise = noise,
            Recent = new double[m],
        };
    }
}
