using System.Numerics;
using System.Runtime.InteropServices;

namespace MetricsPipeline.Forecasting;

/// <summary>
/// Eigenvalues (no vectors) of a real upper-Hessenberg matrix by the shifted double-step Francis QR (the EISPACK
/// <c>hqr</c> scheme). A companion matrix is already Hessenberg, so polynomial roots cost O(m²) per sweep instead of
/// a general eigen-decomposition with vectors.
/// </summary>
internal static class HessenbergEigenvalues
{
    /// <summary>
    /// Computes the eigenvalues of the n×n matrix <paramref name="a"/> (row-major, n = <c>re.Length</c>; destroyed) into
    /// re/im; false if QR fails to converge. A flat array, not <c>double[,]</c>: the same arithmetic in the same order,
    /// without the multidimensional array's per-access bounds and stride computations (about half of an SSA training
    /// with L = 100 was spent here).
    /// </summary>
    public static bool Compute(double[] a, double[] re, double[] im)
    {
        int n = re.Length;
        double anorm = 0;
        for (int i = 0; i < n; i++)
        {
            for (int j = Math.Max(i - 1, 0); j < n; j++)
            {
                anorm += Math.Abs(a[(i * n) + j]);
            }
        }

        int nn = n - 1;
        double t = 0;
        double p = 0, q = 0, r = 0, s, w, x, y, z = 0;
        while (nn >= 0)
        {
            int its = 0;
            int l;
            do
            {
                for (l = nn; l > 0; l--)
                {
                    s = Math.Abs(a[((l - 1) * n) + l - 1]) + Math.Abs(a[(l * n) + l]);
                    if (s == 0)
                    {
                        s = anorm;
                    }

                    if (Math.Abs(a[(l * n) + l - 1]) + s == s)
                    {
                        a[(l * n) + l - 1] = 0;
                        break;
                    }
                }

                x = a[(nn * n) + nn];
                if (l == nn)
                {
                    re[nn] = x + t;
                    im[nn] = 0;
                    nn--;
                    continue;
                }

                y = a[((nn - 1) * n) + nn - 1];
                w = a[(nn * n) + nn - 1] * a[((nn - 1) * n) + nn];
                if (l == nn - 1)
                {
                    p = 0.5 * (y - x);
                    q = (p * p) + w;
                    z = Math.Sqrt(Math.Abs(q));
                    x += t;
                    if (q >= 0)
                    {
                        z = p + CopySign(z, p);
                        re[nn - 1] = re[nn] = x + z;
                        if (z != 0)
                        {
                            re[nn] = x - (w / z);
                        }

                        im[nn - 1] = im[nn] = 0;
                    }
                    else
                    {
                        re[nn - 1] = re[nn] = x + p;
                        im[nn] = z;
                        im[nn - 1] = -z;
                    }

                    nn -= 2;
                    continue;
                }

                if (its == 60)
                {
                    return false;
                }

                if (its == 10 || its == 20)
                {
                    // Exceptional shift.
                    t += x;
                    for (int i = 0; i <= nn; i++)
                    {
                        a[(i * n) + i] -= x;
                    }

                    s = Math.Abs(a[(nn * n) + nn - 1]) + Math.Abs(a[((nn - 1) * n) + nn - 2]);
                    y = x = 0.75 * s;
                    w = -0.4375 * s * s;
                }

                its++;
                int m;
                for (m = nn - 2; m >= l; m--)
                {
                    z = a[(m * n) + m];
                    r = x - z;
                    s = y - z;
                    p = (((r * s) - w) / a[((m + 1) * n) + m]) + a[(m * n) + m + 1];
                    q = a[((m + 1) * n) + m + 1] - z - r - s;
                    r = a[((m + 2) * n) + m + 1];
                    s = Math.Abs(p) + Math.Abs(q) + Math.Abs(r);
                    p /= s;
                    q /= s;
                    r /= s;
                    if (m == l)
                    {
                        break;
                    }

                    double u = Math.Abs(a[(m * n) + m - 1]) * (Math.Abs(q) + Math.Abs(r));
                    double v = Math.Abs(p) * (Math.Abs(a[((m - 1) * n) + m - 1]) + Math.Abs(z) + Math.Abs(a[((m + 1) * n) + m + 1]));
                    if (u + v == v)
                    {
                        break;
                    }
                }

                for (int i = m; i < nn - 1; i++)
                {
                    a[((i + 2) * n) + i] = 0;
                    if (i != m)
                    {
                        a[((i + 2) * n) + i - 1] = 0;
                    }
                }

                for (int k = m; k < nn; k++)
                {
                    if (k != m)
                    {
                        p = a[(k * n) + k - 1];
                        q = a[((k + 1) * n) + k - 1];
                        r = k + 1 != nn ? a[((k + 2) * n) + k - 1] : 0;
                        x = Math.Abs(p) + Math.Abs(q) + Math.Abs(r);
                        if (x != 0)
                        {
                            p /= x;
                            q /= x;
                            r /= x;
                        }
                    }

                    s = CopySign(Math.Sqrt((p * p) + (q * q) + (r * r)), p);
                    if (s == 0)
                    {
                        continue;
                    }

                    if (k == m)
                    {
                        if (l != m)
                        {
                            a[(k * n) + k - 1] = -a[(k * n) + k - 1];
                        }
                    }
                    else
                    {
                        a[(k * n) + k - 1] = -s * x;
                    }

                    p += s;
                    x = p / s;
                    y = q / s;
                    z = r / s;
                    q /= p;
                    r /= p;
                    // Rows k, k+1 (and k+2) from column k to nn, as row slices; every column is independent, so the
                    // SIMD loop does the same arithmetic in the same order per element (bit-identical to a scalar loop).
                    int width = nn - k + 1;
                    var row0 = a.AsSpan((k * n) + k, width);
                    var row1 = a.AsSpan(((k + 1) * n) + k, width);
                    if (k + 1 != nn)
                    {
                        ReflectThreeRows(row0, row1, a.AsSpan(((k + 2) * n) + k, width), q, r, x, y, z);
                    }
                    else
                    {
                        ReflectTwoRows(row0, row1, q, x, y);
                    }

                    int mmin = nn < k + 3 ? nn : k + 3;
                    for (int i = l; i <= mmin; i++)
                    {
                        int at = (i * n) + k;
                        p = (x * a[at]) + (y * a[at + 1]);
                        if (k + 1 != nn)
                        {
                            p += z * a[at + 2];
                            a[at + 2] -= p * r;
                        }

                        a[at + 1] -= p * q;
                        a[at] -= p;
                    }
                }
            }
            while (l < nn - 1);
        }

        return true;
    }

    /// <summary>For each column j: p = r0 + q·r1 + r·r2; r2 −= p·z; r1 −= p·y; r0 −= p·x.</summary>
    private static void ReflectThreeRows(Span<double> row0, Span<double> row1, Span<double> row2, double q, double r, double x, double y, double z)
    {
        int width = row0.Length;
        int j = 0;
        if (Vector.IsHardwareAccelerated && width >= Vector<double>.Count)
        {
            var v0 = MemoryMarshal.Cast<double, Vector<double>>(row0);
            var v1 = MemoryMarshal.Cast<double, Vector<double>>(row1[..width]);
            var v2 = MemoryMarshal.Cast<double, Vector<double>>(row2[..width]);
            var (vq, vr, vx, vy, vz) = (new Vector<double>(q), new Vector<double>(r), new Vector<double>(x), new Vector<double>(y), new Vector<double>(z));
            for (int v = 0; v < v0.Length; v++)
            {
                var p = v0[v] + (vq * v1[v]) + (vr * v2[v]);
                v2[v] -= p * vz;
                v1[v] -= p * vy;
                v0[v] -= p * vx;
            }

            j = v0.Length * Vector<double>.Count;
        }

        for (; j < width; j++)
        {
            double p = row0[j] + (q * row1[j]) + (r * row2[j]);
            row2[j] -= p * z;
            row1[j] -= p * y;
            row0[j] -= p * x;
        }
    }

    /// <summary>For each column j: p = r0 + q·r1; r1 −= p·y; r0 −= p·x.</summary>
    private static void ReflectTwoRows(Span<double> row0, Span<double> row1, double q, double x, double y)
    {
        int width = row0.Length;
        int j = 0;
        if (Vector.IsHardwareAccelerated && width >= Vector<double>.Count)
        {
            var v0 = MemoryMarshal.Cast<double, Vector<double>>(row0);
            var v1 = MemoryMarshal.Cast<double, Vector<double>>(row1[..width]);
            var (vq, vx, vy) = (new Vector<double>(q), new Vector<double>(x), new Vector<double>(y));
            for (int v = 0; v < v0.Length; v++)
            {
                var p = v0[v] + (vq * v1[v]);
                v1[v] -= p * vy;
                v0[v] -= p * vx;
            }

            j = v0.Length * Vector<double>.Count;
        }

        for (; j < width; j++)
        {
            double p = row0[j] + (q * row1[j]);
            row1[j] -= p * y;
            row0[j] -= p * x;
        }
    }

    private static double CopySign(double magnitude, double sign) => sign >= 0 ? Math.Abs(magnitude) : -Math.Abs(magnitude);
}
