namespace MetricsPipeline.Forecasting;

/// <summary>The SSA linear recurrent formula (LRF): α from the first r eigenvectors.</summary>
internal static class RecurrentFormula
{
    /// <summary>
    /// α[j] = (Σᵢ uᵢ[j]·πᵢ)/(1−ν), j = 0…L−2, with π the last components and ν = ‖π‖². α[L−2] multiplies the most
    /// recent value. Returns false (α = 0) if ν ≥ 1, where the formula is undefined.
    /// </summary>
    public static bool Compute(ReadOnlySpan<double> basis, int l, int rank, Span<double> alpha, Float32 f)
    {
        int m = l - 1;
        alpha.Clear();
        double nu = 0;
        for (int i = 0; i < rank; i++)
        {
            double pi = basis[(i * l) + m];
            nu += pi * pi;
            for (int j = 0; j < m; j++)
            {
                alpha[j] += basis[(i * l) + j] * pi;
            }
        }

        if (nu >= 1)
        {
            alpha.Clear();
            return false;
        }

        for (int j = 0; j < m; j++)
        {
            alpha[j] = f.R(alpha[j] / (1 - nu));
        }

        return true;
    }
}
