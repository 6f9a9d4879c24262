namespace MetricsPipeline.Forecasting;

/// <summary>
/// Eigenvalues and eigenvectors of a symmetric tridiagonal matrix by the implicit QR algorithm with Wilkinson shifts
/// (Golub and Van Loan, Matrix Computations, section 8.3): each step chases a bulge down the unreduced block with plane
/// rotations, and the rotations are applied to the rows of the transposed eigenvector matrix, which keeps every update
/// a contiguous (vectorised) pair of rows.
/// </summary>
internal static class TridiagonalQr
{
    private const int MaxStepsPerEigenvalue = 30;
    private const double HalfEpsilon = 1.1102230246251565e-16; // 2^-53, the unit roundoff
    private const double SmallestNormal = 2.2250738585072014e-308;

    /// <summary>
    /// Diagonalises T (diagonal <paramref name="d"/>, off-diagonal <paramref name="e"/> with e[i] = T[i][i+1]); on
    /// return <paramref name="d"/> holds the eigenvalues (unsorted) and row i of <paramref name="zt"/> (n×n, row-major,
    /// holding Qᵀ on entry) the eigenvector of QTQᵀ for d[i]. False if a block does not converge.
    /// </summary>
    public static bool Diagonalize(Span<double> d, Span<double> e, double[] zt, int n)
    {
        int steps = 0;
        int hi = n - 1;
        while (hi > 0)
        {
            if (Negligible(e[hi - 1], d[hi - 1], d[hi]))
            {
                e[hi - 1] = 0;
                hi--;
                continue;
            }

            int lo = hi - 1;
            while (lo > 0 && !Negligible(e[lo - 1], d[lo - 1], d[lo]))
            {
                lo--;
            }

            if (lo > 0)
            {
                e[lo - 1] = 0;
            }

            if (++steps > MaxStepsPerEigenvalue * n)
            {
                return false;
            }

            Step(d, e, zt, n, lo, hi);
        }

        return true;
    }

    /// <summary>Whether the off-diagonal entry is below rounding level next to its two diagonal neighbours (or underflows).</summary>
    private static bool Negligible(double offDiagonal, double left, double right)
    {
        double size = Math.Abs(offDiagonal);
        return size <= HalfEpsilon * (Math.Abs(left) + Math.Abs(right)) || size < SmallestNormal;
    }

    /// <summary>One implicit QR step with the Wilkinson shift on the unreduced block lo…hi.</summary>
    private static void Step(Span<double> d, Span<double> e, double[] zt, int n, int lo, int hi)
    {
        // The shift is the eigenvalue of the trailing 2×2 block closer to its last diagonal entry.
        double half = (d[hi - 1] - d[hi]) / 2;
        double b = e[hi - 1];
        double root = Hypot(half, b);
        double mu = d[hi] - (b * b / (half + (half >= 0 ? root : -root)));
        double x = d[lo] - mu;
        double z = e[lo];
        for (int k = lo; k < hi; k++)
        {
            double r = Hypot(x, z);
            double c = r == 0 ? 1 : x / r;
            double s = r == 0 ? 0 : z / r;
            if (k > lo)
            {
                e[k - 1] = r;
            }

            // New basis e_k' = c·e_k + s·e_{k+1}, e_{k+1}' = c·e_{k+1} − s·e_k.
            double dk = d[k];
            double dk1 = d[k + 1];
            double ek = e[k];
            double cs = c * s;
            d[k] = (c * c * dk) + (2 * cs * ek) + (s * s * dk1);
            d[k + 1] = (s * s * dk) - (2 * cs * ek) + (c * c * dk1);
            e[k] = (cs * (dk1 - dk)) + (((c * c) - (s * s)) * ek);
            if (k < hi - 1)
            {
                // The rotation spills T[k+1][k+2] into the bulge T[k][k+2], which the next rotation removes.
                z = s * e[k + 1];
                e[k + 1] *= c;
                x = e[k];
            }

            VectorOps.Rotate(c, s, zt.AsSpan(k * n, n), zt.AsSpan((k + 1) * n, n));
        }
    }

    private static double Hypot(double a, double b)
    {
        double x = Math.Abs(a);
        double y = Math.Abs(b);
        double big = Math.Max(x, y);
        if (big == 0)
        {
            return 0;
        }

        double small = Math.Min(x, y) / big;
        return big * Math.Sqrt(1 + (small * small));
    }
}
