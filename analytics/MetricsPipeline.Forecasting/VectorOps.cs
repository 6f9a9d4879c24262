using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace MetricsPipeline.Forecasting;

/// <summary>
/// Small SIMD kernels for the hot loops (the JIT does not auto-vectorise). The blocked kernels (<see cref="DotRows"/>,
/// <see cref="AddRows"/>, <see cref="RunRecurrence"/>) return exactly the bits of one <see cref="Dot"/> or
/// <see cref="Axpy"/> call per row or step: every element and vector lane is accumulated in the same order, and the JIT
/// neither reassociates nor contracts a·b + c into a fused multiply-add. They are faster because one <see cref="Dot"/>
/// is a single chain of dependent vector adds (its speed is the add latency), while several rows or steps swept
/// together give the processor independent chains to overlap, and they index without per-call slicing.
/// </summary>
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

    /// <summary>
    /// dots[i] = <see cref="Dot"/>(row i, x) for i &lt; dots.Length, where row i is rows[i·n, (i + 1)·n) and n = x.Length;
    /// bit for bit the same, four rows per sweep.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="rows"/> is shorter than dots.Length · x.Length.</exception>
    public static void DotRows(ReadOnlySpan<double> rows, ReadOnlySpan<double> x, Span<double> dots)
    {
        int n = x.Length;
        int count = dots.Length;
        if (rows.Length < (long)count * n)
        {
            throw new ArgumentException("The rows span is shorter than one row per dot.", nameof(rows));
        }

        int width = Vector<double>.Count;
        int i = 0;
        if (Vector.IsHardwareAccelerated && n >= width)
        {
            // Dot's split: whole vectors accumulated lane-wise, summed, then the remaining elements one by one.
            int vectorEnd = n / width * width;
            ref double xs = ref MemoryMarshal.GetReference(x);
            Prefetch(rows[..Math.Min(count * n, 4 * n)]);
            for (; i + 4 <= count; i += 4)
            {
                // The next four rows are asked for while these four are swept: a model that was last touched a minute ago
                // (one of thousands of series) is read from memory, and four interleaved rows are a pattern the hardware
                // prefetcher follows worse than the one-row-at-a-time sweep did (10 000 rank-14 projections took ~20 %
                // longer than before without this, 5–15 % less with it, in a throwaway probe).
                Prefetch(rows[Math.Min(count * n, (i + 4) * n)..Math.Min(count * n, (i + 8) * n)]);
                ref double r0 = ref Unsafe.Add(ref MemoryMarshal.GetReference(rows), i * n);
                nuint stride = (nuint)n;
                var a0 = Vector<double>.Zero;
                var a1 = Vector<double>.Zero;
                var a2 = Vector<double>.Zero;
                var a3 = Vector<double>.Zero;
                for (nuint v = 0; v < (nuint)vectorEnd; v += (nuint)width)
                {
                    var xv = Vector.LoadUnsafe(ref xs, v);
                    a0 += Vector.LoadUnsafe(ref r0, v) * xv;
                    a1 += Vector.LoadUnsafe(ref r0, stride + v) * xv;
                    a2 += Vector.LoadUnsafe(ref r0, (2 * stride) + v) * xv;
                    a3 += Vector.LoadUnsafe(ref r0, (3 * stride) + v) * xv;
                }

                dots[i] = Tail(Vector.Sum(a0), rows.Slice(i * n, n), x, vectorEnd);
                dots[i + 1] = Tail(Vector.Sum(a1), rows.Slice((i + 1) * n, n), x, vectorEnd);
                dots[i + 2] = Tail(Vector.Sum(a2), rows.Slice((i + 2) * n, n), x, vectorEnd);
                dots[i + 3] = Tail(Vector.Sum(a3), rows.Slice((i + 3) * n, n), x, vectorEnd);
            }
        }

        for (; i < count; i++)
        {
            dots[i] = Dot(rows.Slice(i * n, n), x);
        }
    }

    /// <summary>
    /// y += Σᵢ weights[i]·(row i), where row i is rows[i·n, (i + 1)·n) and n = y.Length, adding the rows in order i = 0, 1, …
    /// to every element: bit for bit one <see cref="Axpy"/> per row, four rows per sweep (y is loaded and stored once per
    /// four rows).
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="rows"/> is shorter than weights.Length · y.Length.</exception>
    public static void AddRows(ReadOnlySpan<double> weights, ReadOnlySpan<double> rows, Span<double> y)
    {
        int n = y.Length;
        int count = weights.Length;
        if (rows.Length < (long)count * n)
        {
            throw new ArgumentException("The rows span is shorter than one row per weight.", nameof(rows));
        }

        int width = Vector<double>.Count;
        int i = 0;
        if (Vector.IsHardwareAccelerated && n >= width)
        {
            int vectorEnd = n / width * width;
            ref double ys = ref MemoryMarshal.GetReference(y);
            for (; i + 4 <= count; i += 4)
            {
                ref double r0 = ref Unsafe.Add(ref MemoryMarshal.GetReference(rows), i * n);
                nuint stride = (nuint)n;
                var w0 = new Vector<double>(weights[i]);
                var w1 = new Vector<double>(weights[i + 1]);
                var w2 = new Vector<double>(weights[i + 2]);
                var w3 = new Vector<double>(weights[i + 3]);
                for (nuint v = 0; v < (nuint)vectorEnd; v += (nuint)width)
                {
                    var sum = Vector.LoadUnsafe(ref ys, v);
                    sum += w0 * Vector.LoadUnsafe(ref r0, v);
                    sum += w1 * Vector.LoadUnsafe(ref r0, stride + v);
                    sum += w2 * Vector.LoadUnsafe(ref r0, (2 * stride) + v);
                    sum += w3 * Vector.LoadUnsafe(ref r0, (3 * stride) + v);
                    sum.StoreUnsafe(ref ys, v);
                }

                for (int k = vectorEnd; k < n; k++)
                {
                    double sum = y[k];
                    sum += weights[i] * rows[(i * n) + k];
                    sum += weights[i + 1] * rows[((i + 1) * n) + k];
                    sum += weights[i + 2] * rows[((i + 2) * n) + k];
                    sum += weights[i + 3] * rows[((i + 3) * n) + k];
                    y[k] = sum;
                }
            }
        }

        for (; i < count; i++)
        {
            Axpy(weights[i], rows.Slice(i * n, n), y);
        }
    }

    /// <summary>
    /// Continues a linear recurrence in place: run[t] = f.R(bias + <see cref="Dot"/>(coefficients, run[t − m, t))) for
    /// t = start … run.Length − 1, m = coefficients.Length; bit for bit one <see cref="Dot"/> per step. Why it can block:
    /// the whole-vector part of step t + k reads run up to t + k − 1 − (m mod width), so for k ≤ m mod width it only reads
    /// values that exist before step t; those steps sweep the coefficients together (up to four: m = 99 with width 4 gives
    /// four), and only their last m mod width products wait for the steps before them.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="start"/> is below m.</exception>
    public static void RunRecurrence(ReadOnlySpan<double> coefficients, Span<double> run, int start, double bias, Float32 f)
    {
        int m = coefficients.Length;
        ArgumentOutOfRangeException.ThrowIfLessThan(start, m);
        int width = Vector<double>.Count;
        int t = start;
        if (Vector.IsHardwareAccelerated && m >= width)
        {
            int vectorEnd = m / width * width;
            int independent = m - vectorEnd + 1;
            ref double cs = ref MemoryMarshal.GetReference(coefficients);
            for (; independent >= 4 && t + 4 <= run.Length; t += 4)
            {
                ref double r0 = ref Unsafe.Add(ref MemoryMarshal.GetReference(run), t - m);
                var a0 = Vector<double>.Zero;
                var a1 = Vector<double>.Zero;
                var a2 = Vector<double>.Zero;
                var a3 = Vector<double>.Zero;
                for (nuint v = 0; v < (nuint)vectorEnd; v += (nuint)width)
                {
                    var cv = Vector.LoadUnsafe(ref cs, v);
                    a0 += cv * Vector.LoadUnsafe(ref r0, v);
                    a1 += cv * Vector.LoadUnsafe(ref r0, v + 1);
                    a2 += cv * Vector.LoadUnsafe(ref r0, v + 2);
                    a3 += cv * Vector.LoadUnsafe(ref r0, v + 3);
                }

                run[t] = f.R(bias + Tail(Vector.Sum(a0), coefficients, run.Slice(t - m, m), vectorEnd));
                run[t + 1] = f.R(bias + Tail(Vector.Sum(a1), coefficients, run.Slice(t + 1 - m, m), vectorEnd));
                run[t + 2] = f.R(bias + Tail(Vector.Sum(a2), coefficients, run.Slice(t + 2 - m, m), vectorEnd));
                run[t + 3] = f.R(bias + Tail(Vector.Sum(a3), coefficients, run.Slice(t + 3 - m, m), vectorEnd));
            }

            for (; independent >= 2 && t + 2 <= run.Length; t += 2)
            {
                ref double r0 = ref Unsafe.Add(ref MemoryMarshal.GetReference(run), t - m);
                var a0 = Vector<double>.Zero;
                var a1 = Vector<double>.Zero;
                for (nuint v = 0; v < (nuint)vectorEnd; v += (nuint)width)
                {
                    var cv = Vector.LoadUnsafe(ref cs, v);
                    a0 += cv * Vector.LoadUnsafe(ref r0, v);
                    a1 += cv * Vector.LoadUnsafe(ref r0, v + 1);
                }

                run[t] = f.R(bias + Tail(Vector.Sum(a0), coefficients, run.Slice(t - m, m), vectorEnd));
                run[t + 1] = f.R(bias + Tail(Vector.Sum(a1), coefficients, run.Slice(t + 1 - m, m), vectorEnd));
            }
        }

        for (; t < run.Length; t++)
        {
            run[t] = f.R(bias + Dot(coefficients, run.Slice(t - m, m)));
        }
    }

    /// <summary>Asks the processor to load every cache line of <paramref name="values"/> into L1 (x86; elsewhere nothing).</summary>
    private static unsafe void Prefetch(ReadOnlySpan<double> values)
    {
        if (!Sse.IsSupported || values.IsEmpty)
        {
            return;
        }

        // A prefetch never faults and never changes a value.
        fixed (double* first = values)
        {
            byte* end = (byte*)(first + values.Length);
            for (byte* line = (byte*)first; line < end; line += 64)
            {
                Sse.Prefetch0(line);
            }
        }
    }

    /// <summary><paramref name="sum"/> plus x[k]·y[k] for k = from … x.Length − 1, one at a time (Dot's scalar tail).</summary>
    private static double Tail(double sum, ReadOnlySpan<double> x, ReadOnlySpan<double> y, int from)
    {
        for (int k = from; k < x.Length; k++)
        {
            sum += x[k] * y[k];
        }

        return sum;
    }
}
