using System.Numerics;

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
        FirstRow(x, k, c.AsSpan(0, l));
        f.R(c.AsSpan(0, l));

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

    /// <summary>
    /// row[j] = Σ_{t&lt;K} x[t]·x[t+j], each sum accumulated in t order. SIMD lanes run over j (a lane is one lag's own
    /// sequential sum, so the result is bit-identical to the scalar loop), several vectors at once so that the
    /// additions are not one long dependency chain.
    /// </summary>
    private static void FirstRow(ReadOnlySpan<double> x, int k, Span<double> row)
    {
        int l = row.Length;
        int w = Vector<double>.Count;
        int j = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; j + (4 * w) <= l; j += 4 * w)
            {
                var (a0, a1, a2, a3) = (Vector<double>.Zero, Vector<double>.Zero, Vector<double>.Zero, Vector<double>.Zero);
                for (int t = 0; t < k; t++)
                {
                    var xt = new Vector<double>(x[t]);
                    var lags = x.Slice(t + j, 4 * w);
                    a0 += xt * new Vector<double>(lags);
                    a1 += xt * new Vector<double>(lags[w..]);
                    a2 += xt * new Vector<double>(lags[(2 * w)..]);
                    a3 += xt * new Vector<double>(lags[(3 * w)..]);
                }

                a0.CopyTo(row[j..]);
                a1.CopyTo(row[(j + w)..]);
                a2.CopyTo(row[(j + (2 * w))..]);
                a3.CopyTo(row[(j + (3 * w))..]);
            }

            for (; j + w <= l; j += w)
            {
                var acc = Vector<double>.Zero;
                for (int t = 0; t < k; t++)
                {
                    acc += new Vector<double>(x[t]) * new Vector<double>(x.Slice(t + j, w));
                }

                acc.CopyTo(row[j..]);
            }
        }

        for (; j < l; j++)
        {
            double sum = 0;
            for (int t = 0; t < k; t++)
            {
                sum += x[t] * x[t + j];
            }

            row[j] = sum;
        }
    }
}
