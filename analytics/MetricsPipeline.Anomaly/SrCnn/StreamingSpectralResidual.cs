using System.Numerics;
using System.Runtime.InteropServices;

namespace MetricsPipeline.Anomaly.SrCnn;

/// <summary>
/// The spectral residual of <see cref="SpectralResidual"/> specialised for the streaming detector, where the window
/// length and the judged points are fixed: both transforms are dot products against shared, precomputed twiddle rows
/// (SIMD, no index arithmetic), the forward transform computes only the non-redundant half of the real input's spectrum,
/// logarithms are taken once per mirrored pair, and the inverse computes only the judged points. It returns the same
/// values as <see cref="SpectralResidual.Transform"/> up to floating-point summation order. Allocates nothing per call.
/// </summary>
internal sealed class StreamingSpectralResidual
{
    private readonly SrCnnTwiddles _t;
    private readonly int _lookahead;
    private readonly int _averaging;
    private readonly int _judgement;
    private readonly double[] _extended;
    private readonly double[] _re;
    private readonly double[] _im;
    private readonly double[] _mag;
    private readonly double[] _logMag;

    public StreamingSpectralResidual(int windowLength, int backAddWindowSize, int lookaheadWindowSize, int averagingWindowSize, int judgementWindowSize)
    {
        _t = SrCnnTwiddles.For(windowLength, backAddWindowSize, judgementWindowSize);
        _lookahead = lookaheadWindowSize;
        _averaging = averagingWindowSize;
        _judgement = judgementWindowSize;
        _extended = new double[_t.Stride];
        _re = new double[_t.Stride];
        _im = new double[_t.Stride];
        _mag = new double[_t.Length];
        _logMag = new double[_t.Length];
    }

    /// <summary>
    /// Transforms <paramref name="window"/> (oldest first, the configured length) and writes the saliency magnitude of
    /// its last <c>judgement</c> points into <paramref name="saliency"/> (length judgement, oldest first).
    /// </summary>
    public void Transform(ReadOnlySpan<double> window, Span<double> saliency)
    {
        var n = window.Length;
        var length = _t.Length;
        window.CopyTo(_extended);
        var predictFrom = Math.Max(0, n - _lookahead - 2);
        var predicted = SpectralResidual.PredictNext(window.Slice(predictFrom, n - 1 - predictFrom));
        _extended.AsSpan(n, length - n).Fill(predicted);

        // Forward: bins 0…N/2, mirrored (a real input's spectrum is conjugate-symmetric).
        var stride = _t.Stride;
        for (var k = 0; k <= _t.Half; k++)
        {
            var re = Dot(_extended, _t.ForwardCos.AsSpan(k * stride, stride));
            var im = -Dot(_extended, _t.ForwardSin.AsSpan(k * stride, stride));
            var mag = Math.Sqrt((re * re) + (im * im));
            var log = mag != 0 ? Math.Log(mag) : 0;
            _re[k] = re;
            _im[k] = im;
            _mag[k] = mag;
            _logMag[k] = log;
            if (k > 0 && k < length - k)
            {
                _re[length - k] = re;
                _im[length - k] = -im;
                _mag[length - k] = mag;
                _logMag[length - k] = log;
            }
        }

        // Residual: rescale each bin to exp(log mag − trailing mean of log mag), keeping its phase.
        double sum = 0;
        for (var k = 0; k < length; k++)
        {
            sum += _logMag[k];
            if (k >= _averaging)
            {
                sum -= _logMag[k - _averaging];
            }

            var mag = _mag[k];
            if (mag != 0)
            {
                var factor = Math.Exp(_logMag[k] - (sum / Math.Min(k + 1, _averaging))) / mag;
                _re[k] *= factor;
                _im[k] *= factor;
            }
            else
            {
                _re[k] = 0;
                _im[k] = 0;
            }
        }

        // Inverse at the judged points only: x[t] = (1/N) Σ_k X[k] e^{+2πikt/N}.
        for (var j = 0; j < _judgement; j++)
        {
            var cos = _t.InverseCos.AsSpan(j * stride, stride);
            var sin = _t.InverseSin.AsSpan(j * stride, stride);
            var sr = Dot(_re, cos) - Dot(_im, sin);
            var si = Dot(_re, sin) + Dot(_im, cos);
            saliency[j] = Math.Sqrt((sr * sr) + (si * si)) / length;
        }
    }

    private static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        // Both spans are padded to a multiple of the vector width with zeros.
        var va = MemoryMarshal.Cast<double, Vector<double>>(a[..b.Length]);
        var vb = MemoryMarshal.Cast<double, Vector<double>>(b);
        var acc0 = Vector<double>.Zero;
        var acc1 = Vector<double>.Zero;
        var i = 0;
        for (; i + 1 < vb.Length; i += 2)
        {
            acc0 += va[i] * vb[i];
            acc1 += va[i + 1] * vb[i + 1];
        }

        if (i < vb.Length)
        {
            acc0 += va[i] * vb[i];
        }

        return Vector.Sum(acc0 + acc1);
    }
}
