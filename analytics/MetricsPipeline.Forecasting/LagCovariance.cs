namespace MetricsPipeline.Forecasting;

/// <summary>The unnormalised lag-covariance C = X·Xᵀ of the L×K trajectory matrix, built as ML.NET builds it.</summary>
internal static class LagCovariance
{
    /// <summary>Returns C (L×L, row-major). Row 0 is a direct product; later rows use the shift recurrence.</summary>
    public static double[] Build(ReadOnlySpan<double> x, int windowSize, Float32 f)
    {
        int l = windowSize;
        int k = x.Length - l + 1;
        var c = new double[l * l];
        for (int j = 0; j < l; j++)
        {
            double sum = 0;
            for (int t = 0; t < k; t++)
            {
                sum += x[t] * x[t + j];
            }

            c[j] = f.R(sum);
        }

        for (int i = 1; i < l; i++)
        {
            for (int j = i; j < l; j++)
            {
                // C[i][j] = C[i-1][j-1] - x[i-1]x[j-1] + x[i+K-1]x[j+K-1]: shifting both lags drops one product and adds one.
                double value = c[((i - 1) * l) + j - 1] - (x[i - 1] * x[j - 1]) + (x[i + k - 1] * x[j + k - 1]);
                c[(i * l) + j] = f.R(value);
            }
        }

        for (int i = 1; i < l; i++)
        {
            for (int j = 0; j < i; j++)
            {
                c[(i * l) + j] = c[(j * l) + i];
            }
        }

        return c;
    }
}
