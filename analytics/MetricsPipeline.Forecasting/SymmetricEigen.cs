using MathNet.Numerics.LinearAlgebra;

namespace MetricsPipeline.Forecasting;

/// <summary>Eigen-decomposition of a symmetric matrix, eigenpairs sorted by eigenvalue, descending.</summary>
internal static class SymmetricEigen
{
    /// <summary>
    /// Decomposes the symmetric L×L row-major matrix <paramref name="c"/>. Returns the eigenvalues (descending) and the
    /// unit eigenvectors, eigenvector i at <c>vectors[i*L .. i*L+L)</c>; false if the solve fails or yields NaN.
    /// <paramref name="c"/> is handed to the solver as its storage: the caller must not use it afterwards.
    /// </summary>
    public static bool TryDecompose(double[] c, int l, Float32 f, out double[] values, out double[] vectors)
    {
        values = new double[l];
        vectors = new double[l * l];
        try
        {
            // Row-major symmetric == column-major symmetric, so the array can be handed over directly (the solver works
            // on its own copy; the caller does not reuse c either way).
            var matrix = Matrix<double>.Build.Dense(l, l, c);
            var evd = matrix.Evd(Symmetricity.Symmetric);
            var raw = new double[l];
            var order = new int[l];
            for (int i = 0; i < l; i++)
            {
                raw[i] = evd.EigenValues[i].Real;
                order[i] = i;
            }

            // Descending by eigenvalue, ties in solver order: the same permutation as a stable descending sort.
            Array.Sort(order, (a, b) =>
            {
                int byValue = raw[b].CompareTo(raw[a]);
                return byValue != 0 ? byValue : a.CompareTo(b);
            });
            var columns = evd.EigenVectors.AsColumnMajorArray() ?? evd.EigenVectors.ToColumnMajorArray();
            for (int i = 0; i < l; i++)
            {
                int src = order[i];
                values[i] = f.R(raw[src]);
                var column = columns.AsSpan(src * l, l);
                var dest = vectors.AsSpan(i * l, l);
                for (int j = 0; j < l; j++)
                {
                    dest[j] = f.R(column[j]);
                }
            }
        }
        catch (Exception ex) when (ex is ArithmeticException or ArgumentException or InvalidOperationException)
        {
            return false;
        }

        foreach (double v in vectors)
        {
            if (double.IsNaN(v))
            {
                return false;
            }
        }

        return true;
    }
}
