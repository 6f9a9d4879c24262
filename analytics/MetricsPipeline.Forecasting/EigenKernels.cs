using System.Numerics;
using System.Runtime.InteropServices;

namespace MetricsPipeline.Forecasting;

/// <summary>SIMD kernels of the symmetric eigen-solver (dot product, axpy, plane rotation of two rows).</summary>
internal static class EigenKernels
{
    /// <summary>Σ x[i]·y[i] over the length of <paramref name="x"/>.</summary>
    public static double Dot(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        int n = x.Length;
        y = y[..n];
        int i = 0;
        double sum = 0;
        if (Vector.IsHardwareAccelerated && n >= Vector<double>.Count)
        {
            var acc = Vector<double>.Zero;
            var xv = MemoryMarshal.Cast<double, Vector<double>>(x);
            var yv = MemoryMarshal.Cast<double, Vector<double>>(y);
            for (int v = 0; v < xv.Length; v++)
            {
                acc += xv[v] * yv[v];
            }

            sum = Vector.Sum(acc);
            i = xv.Length * Vector<double>.Count;
        }

        for (; i < n; i++)
        {
            sum += x[i] * y[i];
        }

        return sum;
    }

    /// <summary>y += a·x over the length of <paramref name="x"/>.</summary>
    public static void Axpy(double a, ReadOnlySpan<double> x, Span<double> y)
    {
        int n = x.Length;
        y = y[..n];
        int i = 0;
        if (Vector.IsHardwareAccelerated && n >= Vector<double>.Count)
        {
            var va = new Vector<double>(a);
            var xv = MemoryMarshal.Cast<double, Vector<double>>(x);
            var yv = MemoryMarshal.Cast<double, Vector<double>>(y);
            for (int v = 0; v < xv.Length; v++)
            {
                yv[v] += va * xv[v];
            }

            i = xv.Length * Vector<double>.Count;
        }

        for (; i < n; i++)
        {
            y[i] += a * x[i];
        }
    }

    /// <summary>(x, y) ← (c·x + s·y, c·y − s·x), element-wise over the length of <paramref name="x"/>.</summary>
    public static void Rotate(double c, double s, Span<double> x, Span<double> y)
    {
        int n = x.Length;
        y = y[..n];
        int i = 0;
        if (Vector.IsHardwareAccelerated && n >= Vector<double>.Count)
        {
            var vc = new Vector<double>(c);
            var vs = new Vector<double>(s);
            var xv = MemoryMarshal.Cast<double, Vector<double>>(x);
            var yv = MemoryMarshal.Cast<double, Vector<double>>(y);
            for (int v = 0; v < xv.Length; v++)
            {
                var xo = xv[v];
                var yo = yv[v];
                xv[v] = (vc * xo) + (vs * yo);
                yv[v] = (vc * yo) - (vs * xo);
            }

            i = xv.Length * Vector<double>.Count;
        }

        for (; i < n; i++)
        {
            double xo = x[i];
            double yo = y[i];
            x[i] = (c * xo) + (s * yo);
            y[i] = (c * yo) - (s * xo);
        }
    }
}
