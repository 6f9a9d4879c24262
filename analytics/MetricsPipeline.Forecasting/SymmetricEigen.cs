using MathNet.Numerics.LinearAlgebra;

namespace MetricsPipeline.Forecasting;

/// <summary>Eigen-decomposition of a symmetric matrix, eigenpairs sorted by eigenvalue, descending.</summary>
internal static class SymmetricEigen
{
    /// <summary>
    /// Decomposes the symmetric L×L row-major matrix <paramref name="c"/>. Returns the eigenvalues (descending) and the
    /// unit eigenvectors, eigenvector i at <c>vectors[i*L .. i*L+L)</c>; false if the solve fails or yields NaN.
    /// </summary>
    public static bool TryDecompose(double[] c, int l, Float32 f, out double[] values, out double[] vectors)
    {
        values = new double[l];
        vectors = new double[l * l];
        try
        {
            // Row-major symmetric == column-major symmetric, so the array can be handed over directly.
            var matrix = Matrix<double>.Build.Dense(l, l, (double[])c.Clone());
            var evd = matrix.Evd(Symmetricity.Symmetric);
            var order = Enumerable.Range(0, l).OrderByDescending(i => evd.EigenValues[i].Real).ToArray();
            for (int i = 0; i < l; i++)
            {
                int src = order[i];
                values[i] = f.R(evd.EigenValues[src].Real);
                for (int j = 0; j < l; j++)
                {
                    vectors[(i * l) + j] = f.R(evd.EigenVectors[j, src]);
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
