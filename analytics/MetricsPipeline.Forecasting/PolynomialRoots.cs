using System.Numerics;

namespace MetricsPipeline.Forecasting;

/// <summary>Roots of monic polynomials via companion-matrix eigenvalues, and the inverse (rebuilding from roots).</summary>
internal static class PolynomialRoots
{
    /// <summary>
    /// Roots of z^m + Σ c[j] z^j (ascending coefficients <paramref name="c"/>, length m). Near-real roots are snapped to
    /// exactly real, as LAPACK's dhseqr returns them. Returns null if the eigen-solve fails.
    /// </summary>
    public static Complex[]? Find(ReadOnlySpan<double> c)
    {
        int m = c.Length;
        var companion = new double[m * m];
        for (int i = 1; i < m; i++)
        {
            companion[(i * m) + i - 1] = 1;
        }

        for (int j = 0; j < m; j++)
        {
            companion[(j * m) + m - 1] = -c[j];
        }

        var re = new double[m];
        var im = new double[m];
        if (!HessenbergEigenvalues.Compute(companion, re, im))
        {
            return null;
        }

        var roots = new Complex[m];
        for (int i = 0; i < m; i++)
        {
            var z = new Complex(re[i], im[i]);
            if (double.IsNaN(z.Real) || double.IsNaN(z.Imaginary))
            {
                return null;
            }

            roots[i] = Math.Abs(z.Imaginary) <= 1e-10 * Math.Max(z.Magnitude, 1e-300) ? new Complex(z.Real, 0) : z;
        }

        return roots;
    }

    /// <summary>Ascending coefficients c (length m, monic term implied) of ∏(z − zᵢ); imaginary parts discarded.</summary>
    public static double[] Rebuild(ReadOnlySpan<Complex> roots)
    {
        int m = roots.Length;
        var poly = new Complex[m + 1];
        poly[0] = Complex.One;
        for (int i = 0; i < m; i++)
        {
            // Multiply by (z − zᵢ): shift up and subtract zᵢ times the old coefficients.
            for (int j = i + 1; j >= 1; j--)
            {
                poly[j] = poly[j - 1] - (roots[i] * poly[j]);
            }

            poly[0] = -roots[i] * poly[0];
        }

        // poly[j] multiplies z^j; poly[m] is the monic 1.
        var c = new double[m];
        for (int j = 0; j < m; j++)
        {
            c[j] = poly[j].Real;
        }

        return c;
    }

    /// <summary>
    /// Ascending coefficients (monic term implied) of the polynomial <paramref name="c"/> with every root
    /// <c>from[i]</c> that differs from <c>to[i]</c> replaced by <c>to[i]</c>, by deflation and re-multiplication.
    /// </summary>
    public static double[] Replace(ReadOnlySpan<double> c, ReadOnlySpan<Complex> from, ReadOnlySpan<Complex> to)
    {
        int m = c.Length;
        var poly = new Complex[m + 1];
        for (int j = 0; j < m; j++)
        {
            poly[j] = c[j];
        }

        poly[m] = Complex.One;
        var quotient = new Complex[m];
        for (int i = 0; i < from.Length; i++)
        {
            if (from[i] == to[i])
            {
                continue;
            }

            Deflate(poly, from[i], quotient);

            // Multiply the quotient (degree m−1) by (z − to[i]).
            poly[m] = quotient[m - 1];
            for (int k = m - 1; k >= 1; k--)
            {
                poly[k] = quotient[k - 1] - (to[i] * quotient[k]);
            }

            poly[0] = -to[i] * quotient[0];
        }

        var result = new double[m];
        for (int j = 0; j < m; j++)
        {
            result[j] = poly[j].Real;
        }

        return result;
    }

    /// <summary>Divides p (ascending, degree m) by (z − r) into q (degree m−1); backward recursion for |r| &gt; 1 keeps it stable.</summary>
    private static void Deflate(Complex[] p, Complex r, Complex[] q)
    {
        int d = p.Length - 1;
        if (r.Magnitude > 1)
        {
            q[0] = -p[0] / r;
            for (int k = 1; k < d; k++)
            {
                q[k] = (q[k - 1] - p[k]) / r;
            }
        }
        else
        {
            q[d - 1] = p[d];
            for (int k = d - 1; k >= 1; k--)
            {
                q[k - 1] = p[k] + (r * q[k]);
            }
        }
    }
}
