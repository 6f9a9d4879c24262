using System.Collections.Concurrent;
using System.Numerics;

namespace MetricsPipeline.Anomaly.SrCnn;

/// <summary>
/// Twiddle matrices of the streaming spectral residual for one (window, back-add, judgement) shape, shared by every
/// detector with that shape (10 000 series share one copy). Rows are padded with zeros to a multiple of the SIMD width,
/// so the dot products need no tail loop. Entries are cos/sin(2π·((k·t) mod N)/N), the same values as the direct DFT's
/// table, so only the summation order differs from it.
/// </summary>
internal sealed class SrCnnTwiddles
{
    private static readonly ConcurrentDictionary<(int Window, int BackAdd, int Judgement), SrCnnTwiddles> Cache = new();

    private SrCnnTwiddles(int window, int backAdd, int judgement)
    {
        Length = window + backAdd;
        Half = Length / 2;
        Stride = (Length + Vector<double>.Count - 1) / Vector<double>.Count * Vector<double>.Count;
        ForwardCos = new double[(Half + 1) * Stride];
        ForwardSin = new double[(Half + 1) * Stride];
        for (var k = 0; k <= Half; k++)
        {
            Fill(k * Stride, k, ForwardCos, ForwardSin);
        }

        HalfStride = (Half + 1 + Vector<double>.Count - 1) / Vector<double>.Count * Vector<double>.Count;
        InverseCos = new double[judgement * HalfStride];
        InverseSin = new double[judgement * HalfStride];
        for (var j = 0; j < judgement; j++)
        {
            var t = window - judgement + j;
            for (var k = 0; k <= Half; k++)
            {
                var angle = 2 * Math.PI * ((long)k * t % Length) / Length;
                InverseCos[(j * HalfStride) + k] = Math.Cos(angle);
                InverseSin[(j * HalfStride) + k] = Math.Sin(angle);
            }
        }
    }

    /// <summary>The extended length N (window + back-add).</summary>
    public int Length { get; }

    /// <summary>N / 2: the forward transform computes bins 0…Half and mirrors the rest.</summary>
    public int Half { get; }

    /// <summary>Row length: N rounded up to the SIMD width.</summary>
    public int Stride { get; }

    /// <summary>Row length of the inverse tables: Half + 1 rounded up to the SIMD width.</summary>
    public int HalfStride { get; }

    /// <summary>cos(2πkt/N) over t, one row per bin k = 0…Half.</summary>
    public double[] ForwardCos { get; }

    /// <summary>sin(2πkt/N) over t, one row per bin k = 0…Half.</summary>
    public double[] ForwardSin { get; }

    /// <summary>cos(2πkt/N) over k = 0…Half, one row per judged output point t (the last <c>judgement</c> points of the window).</summary>
    public double[] InverseCos { get; }

    /// <summary>sin(2πkt/N) over k = 0…Half, one row per judged output point t.</summary>
    public double[] InverseSin { get; }

    /// <summary>Returns the shared tables for the shape.</summary>
    public static SrCnnTwiddles For(int window, int backAdd, int judgement) =>
        Cache.GetOrAdd((window, backAdd, judgement), key => new SrCnnTwiddles(key.Window, key.BackAdd, key.Judgement));

    private void Fill(int offset, int multiplier, double[] cos, double[] sin)
    {
        for (var i = 0; i < Length; i++)
        {
            var angle = 2 * Math.PI * ((long)multiplier * i % Length) / Length;
            cos[offset + i] = Math.Cos(angle);
            sin[offset + i] = Math.Sin(angle);
        }
    }
}
