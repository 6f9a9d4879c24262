using System.Numerics;
using System.Runtime.InteropServices;

namespace MetricsPipeline.Forecasting;

/// <summary>Small SIMD kernels for the hot loops (the JIT does not auto-vectorise).</summary>
internal static class VectorOps
{
    /// <summary>y += a·x over the common length.</summary>
    public static void Axpy(double a, ReadOnlySpan<double> x, Span<double> y)
    {
        int n = Math.Min(x.Length, y.Length);
        int i = 0;
        if (Vector.IsHardwareAccelerated && n >= Vector<double>.Count)
        {
            var va = new Vector<double>(a);
            var xv = MemoryMarshal.Cast<double, Vector<double>>(x[..n]);
            var yv = MemoryMarshal.Cast<double, Vector<double>>(y[..n]);
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

    /// <summary>Σ x[i]·y[i] over the common length.</summary>
    public static double Dot(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        int n = Math.Min(x.Length, y.Length);
        int i = 0;
        double sum = 0;
        if (Vector.IsHardwareAccelerated && n >= Vector<double>.Count)
        {
            var acc = Vector<double>.Zero;
            var xv = MemoryMarshal.Cast<double, Vector<double>>(x[..n]);
            var yv = MemoryMarshal.Cast<double, Vector<double>>(y[..n]);
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
}
