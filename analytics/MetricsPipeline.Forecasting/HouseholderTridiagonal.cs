namespace MetricsPipeline.Forecasting;

/// <summary>
/// Householder reduction of a symmetric matrix to tridiagonal form, T = QᵀAQ. Rows are reduced from the last one up,
/// so every reflector leaves the last coordinate alone: Q's last row and column are the unit vector e_{n−1}.
/// </summary>
internal static class HouseholderTridiagonal
{
    /// <summary>
    /// Reduces the symmetric n×n row-major matrix <paramref name="a"/> (overwritten). Fills the diagonal
    /// <paramref name="diagonal"/> (n) and the off-diagonal <paramref name="offDiagonal"/> (T[i][i+1] at i, n−1 used),
    /// and returns Qᵀ (n×n, row-major: row i is Q's column i).
    /// </summary>
    public static double[] Reduce(double[] a, int n, Span<double> diagonal, Span<double> offDiagonal)
    {
        // Reflector i (for row i ≥ 2) is H_i = I − u·uᵀ/h with u over coordinates 0…i−1; it is kept in row i of a.
        var h = new double[n];
        var p = new double[n];
        for (int i = n - 1; i >= 2; i--)
        {
            var u = a.AsSpan(i * n, i);
            double scale = 0;
            foreach (double v in u)
            {
                scale += Math.Abs(v);
            }

            diagonal[i] = a[(i * n) + i];
            if (scale == 0)
            {
                // The row is already reduced: no reflector (h = 0 marks it).
                offDiagonal[i - 1] = 0;
                continue;
            }

            // Scaling by the 1-norm keeps the squares away from overflow and underflow.
            double sigma = 0;
            for (int j = 0; j < i; j++)
            {
                u[j] /= scale;
                sigma += u[j] * u[j];
            }

            double last = u[i - 1];
            double g = last >= 0 ? -Math.Sqrt(sigma) : Math.Sqrt(sigma);
            offDiagonal[i - 1] = scale * g;
            double hi = sigma - (last * g);
            u[i - 1] = last - g;
            h[i] = hi;

            // A ← H A H on the leading i×i block: p = A·u/h, q = p − (uᵀp/2h)·u, A −= u·qᵀ + q·uᵀ.
            var q = p.AsSpan(0, i);
            for (int r = 0; r < i; r++)
            {
                q[r] = VectorOps.Dot(a.AsSpan(r * n, i), u) / hi;
            }

            double k = VectorOps.Dot(u, q) / (2 * hi);
            VectorOps.Axpy(-k, u, q);
            for (int r = 0; r < i; r++)
            {
                var row = a.AsSpan(r * n, i);
                VectorOps.Axpy(-u[r], q, row);
                VectorOps.Axpy(-q[r], u, row);
            }
        }

        if (n >= 2)
        {
            diagonal[1] = a[n + 1];
            offDiagonal[0] = a[n];
        }

        diagonal[0] = a[0];
        offDiagonal[n - 1] = 0;
        return FormTransposedQ(a, h, n);
    }

    /// <summary>Qᵀ = H_2·H_3·…·H_{n−1}, built by multiplying from the right so that each step touches only the block it changes.</summary>
    private static double[] FormTransposedQ(double[] a, double[] h, int n)
    {
        var qt = new double[n * n];
        for (int i = 0; i < n; i++)
        {
            qt[(i * n) + i] = 1;
        }

        for (int i = 2; i < n; i++)
        {
            if (h[i] == 0)
            {
                continue;
            }

            // Rows ≥ i of the product so far are unit rows with zeros in columns < i, so only rows 0…i−1 change.
            var u = a.AsSpan(i * n, i);
            for (int r = 0; r < i; r++)
            {
                var row = qt.AsSpan(r * n, i);
                VectorOps.Axpy(-VectorOps.Dot(row, u) / h[i], u, row);
            }
        }

        return qt;
    }
}
