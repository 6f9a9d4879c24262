using System.Numerics;
using System.Runtime.InteropServices;

namespace MetricsPipeline.Anomaly.SrCnn;

/// <summary>
/// The spectral residual of <see cref="SpectralResidual"/> specialised for the streaming detector, where the window
/// length and the judged points are fixed. Both transforms are SIMD dot products against shared, precomputed twiddle
/// rows. The forward transform computes only bins 0…N/2 of the real input (the rest are conjugates). The residual
/// spectrum Y[k] = f[k]·X[k] is not conjugate-symmetric (the trailing log-average f is not symmetric), but each mirrored
/// pair (k, N−k) contributes (f[k]+f[N−k])·Re(X[k]e^{iωkt}) to the real part and (f[k]−f[N−k])·Im(X[k]e^{iωkt}) to
/// the imaginary part, so the inverse also runs over bins 0…N/2, and only at the judged points. The results equal
/// <see cref="SpectralResidual.Transform"/>'s up to floating-point rounding. Allocates nothing per call.
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
    private readonly double[] _factor;
    private readonly double[] _u;
    private readonly double[] _v;
    private readonly double[] _r;
    private readonly double[] _s;

    public StreamingSpectralResidual(int windowLength, int backAddWindowSize, int lookaheadWindowSize, int averagingWindowSize, int judgementWindowSize)
    {
        _t = SrCnnTwiddles.For(windowLength, backAddWindowSize, judgementWindowSize);
        _lookahead = lookaheadWindowSize;
        _averaging = averagingWindowSize;
        _judgement = judgementWindowSize;
        _extended = new double[_t.Stride];
        _re = new double[_t.Half + 1];
        _im = new double[_t.Half + 1];
        _mag = new double[_t.Length];
        _logMag = new double[_t.Length];
        _factor = new double[_t.Length];
        _u = new double[_t.HalfStride];
        _v = new double[_t.HalfStride];
        _r = new double[_t.HalfStride];
        _s = new double[_t.HalfStride];
    }

    /// <summary>
    /// Transforms <paramref name="window"/> (oldest first, the configured length) and writes the saliency magnitude of
    /// its last <c>judgement</c> points into <paramref name="saliency"/> (length judgement, oldest first).
    /// </summary>
    public void Transform(ReadOnlySpan<double> window, Span<double> saliency)
    {
        var n = window.Length;
        var length = _t.Length;
        var half = _t.Half;
        window.CopyTo(_extended);
        var predictFrom = Math.Max(0, n - _lookahead - 2);
        var predicted = SpectralResidual.PredictNext(window.Slice(predictFrom, n - 1 - predictFrom));
        _extended.AsSpan(n, length - n).Fill(predicted);

        var stride = _t.Stride;
        for (var k = 0; k <= half; k++)
        {
            var (re, sin) = Dot2(_extended, _t.ForwardCos.AsSpan(k * stride, stride), _t.ForwardSin.AsSpan(k * stride, stride));
            var im = -sin;
            var mag = Math.Sqrt((re * re) + (im * im));
            var log = mag != 0 ? Math.Log(mag) : 0;
            _re[k] = re;
            _im[k] = im;
            _mag[k] = mag;
            _logMag[k] = log;
            if (k > 0 && k < length - k)
            {
                _mag[length - k] = mag;
                _logMag[length - k] = log;
            }
        }

        // f[k] = exp(log mag − trailing mean of log mag) / mag rescales bin k to the residual magnitude, keeping its phase.
        double sum = 0;
        for (var k = 0; k < length; k++)
        {
            sum += _logMag[k];
            if (k >= _averaging)
            {
                sum -= _logMag[k - _averaging];
            }

            var mag = _mag[k];
            _factor[k] = mag != 0 ? Math.Exp(_logMag[k] - (sum / Math.Min(k + 1, _averaging))) / mag : 0;
        }

        for (var k = 0; k <= half; k++)
        {
            var a = _factor[k];
            double plus = a;
            double minus = a;
            if (k > 0 && k < length - k)
            {
                var b = _factor[length - k];
                plus = a + b;
                minus = a - b;
            }

            _u[k] = plus * _re[k];
            _v[k] = plus * _im[k];
            _r[k] = minus * _re[k];
            _s[k] = minus * _im[k];
        }

        var halfStride = _t.HalfStride;
        for (var j = 0; j < _judgement; j++)
        {
            var cos = _t.InverseCos.AsSpan(j * halfStride, halfStride);
            var sin = _t.InverseSin.AsSpan(j * halfStride, halfStride);
            var (sr, si) = Inverse(cos, sin);
            saliency[j] = Math.Sqrt((sr * sr) + (si * si)) / length;
        }
    }

    private static (double Cos, double Sin) Dot2(ReadOnlySpan<double> x, ReadOnlySpan<double> cos, ReadOnlySpan<double> sin)
    {
        // All spans are padded to a multiple of the vector width with zeros.
        var vx = MemoryMarshal.Cast<double, Vector<double>>(x[..cos.Length]);
        var vc = MemoryMarshal.Cast<double, Vector<double>>(cos);
        var vs = MemoryMarshal.Cast<double, Vector<double>>(sin);
        var accC = Vector<double>.Zero;
        var accS = Vector<double>.Zero;
        for (var i = 0; i < vc.Length; i++)
        {
            accC += vx[i] * vc[i];
            accS += vx[i] * vs[i];
        }

        return (Vector.Sum(accC), Vector.Sum(accS));
    }

    private (double Re, double Im) Inverse(ReadOnlySpan<double> cos, ReadOnlySpan<double> sin)
    {
        var vc = MemoryMarshal.Cast<double, Vector<double>>(cos);
        var vs = MemoryMarshal.Cast<double, Vector<double>>(sin);
        var vu = MemoryMarshal.Cast<double, Vector<double>>(_u.AsSpan());
        var vv = MemoryMarshal.Cast<double, Vector<double>>(_v.AsSpan());
        var vr = MemoryMarshal.Cast<double, Vector<double>>(_r.AsSpan());
        var vsi = MemoryMarshal.Cast<double, Vector<double>>(_s.AsSpan());
        var accRe = Vector<double>.Zero;
        var accIm = Vector<double>.Zero;
        for (var i = 0; i < vc.Length; i++)
        {
            accRe += (vu[i] * vc[i]) - (vv[i] * vs[i]);
            accIm += (vr[i] * vs[i]) + (vsi[i] * vc[i]);
        }

        return (Vector.Sum(accRe), Vector.Sum(accIm));
    }
}
