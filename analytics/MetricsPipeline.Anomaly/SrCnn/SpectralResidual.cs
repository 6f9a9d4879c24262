namespace MetricsPipeline.Anomaly.SrCnn;

/// <summary>
/// The Spectral Residual saliency transform (Ren et al., KDD 2019) on a fixed-length buffer, with ML.NET's back-add
/// extrapolation, trailing averaging filters and score scaling. Preallocates everything: scoring allocates nothing.
/// A DFT with a twiddle table is used instead of an FFT because the extended length (window + back-add) is not a power of
/// two, and only the last <c>judgementWindowSize</c> points of the inverse transform are needed for the newest point.
/// </summary>
internal sealed class SpectralResidual
{
    private readonly int _length;
    private readonly int _backAdd;
    private readonly int _lookahead;
    private readonly int _averaging;
    private readonly double[] _cos;
    private readonly double[] _sin;
    private readonly double[] _extended;
    private readonly double[] _re;
    private readonly double[] _im;
    private readonly double[] _logMag;
    private readonly double[] _filtered;
    private readonly double[] _saliency;

    public SpectralResidual(int windowLength, int backAddWindowSize, int lookaheadWindowSize, int averagingWindowSize)
    {
        _backAdd = backAddWindowSize;
        _lookahead = lookaheadWindowSize;
        _averaging = averagingWindowSize;
        _length = windowLength + backAddWindowSize;
        _cos = new double[_length];
        _sin = new double[_length];
        for (var i = 0; i < _length; i++)
        {
            var angle = 2 * Math.PI * i / _length;
            _cos[i] = Math.Cos(angle);
            _sin[i] = Math.Sin(angle);
        }

        _extended = new double[_length];
        _re = new double[_length];
        _im = new double[_length];
        _logMag = new double[_length];
        _filtered = new double[_length];
        _saliency = new double[_length];
    }

    /// <summary>ML.NET's PredictNext: data[1] plus the sum of the slopes from each point to the last one.</summary>
    public static double PredictNext(ReadOnlySpan<double> data)
    {
        var n = data.Length;
        double slopeSum = 0;
        for (var i = 0; i < n - 1; i++)
        {
            slopeSum += (data[n - 1] - data[i]) / (n - 1 - i);
        }

        return data[1] + slopeSum;
    }

    /// <summary>Trailing mean over <paramref name="window"/> points; the first points average their prefix.</summary>
    public static void AverageFilter(ReadOnlySpan<double> data, Span<double> output, int window)
    {
        double sum = 0;
        for (var i = 0; i < data.Length; i++)
        {
            sum += data[i];
            if (i >= window)
            {
                sum -= data[i - window];
            }

            output[i] = sum / Math.Min(i + 1, window);
        }
    }

    /// <summary>ML.NET's score: |mag − avg| / avg (avg floored at 1e-8), divided by 10 and clamped to [0, 1].</summary>
    public static double Score(double magnitude, double average)
    {
        var score = Math.Abs(magnitude - average) / Math.Max(average, 1e-8) / 10.0;
        return Math.Clamp(score, 0, 1);
    }

    /// <summary>
    /// Transforms <paramref name="window"/> (oldest first) and writes the saliency magnitude of the points
    /// [<paramref name="from"/>, window.Length) into <paramref name="saliency"/> at the same indices.
    /// </summary>
    public void Transform(ReadOnlySpan<double> window, int from, Span<double> saliency)
    {
        var n = window.Length;
        window.CopyTo(_extended);
        var predictFrom = Math.Max(0, n - _lookahead - 2);
        var predicted = PredictNext(window.Slice(predictFrom, n - 1 - predictFrom));
        for (var i = n; i < _length; i++)
        {
            _extended[i] = predicted;
        }

        ForwardRealDft();
        for (var k = 0; k < _length; k++)
        {
            var mag = Math.Sqrt((_re[k] * _re[k]) + (_im[k] * _im[k]));
            _logMag[k] = mag != 0 ? Math.Log(mag) : 0;
            _saliency[k] = mag;
        }

        AverageFilter(_logMag, _filtered, _averaging);
        for (var k = 0; k < _length; k++)
        {
            var mag = _saliency[k];
            if (mag != 0)
            {
                var factor = Math.Exp(_logMag[k] - _filtered[k]) / mag;
                _re[k] *= factor;
                _im[k] *= factor;
            }
            else
            {
                _re[k] = 0;
                _im[k] = 0;
            }
        }

        for (var t = from; t < n; t++)
        {
            double sr = 0;
            double si = 0;
            var index = 0;
            for (var k = 0; k < _length; k++)
            {
                // e^{+2πikt/N}: the inverse transform, normalised by 1/N.
                sr += (_re[k] * _cos[index]) - (_im[k] * _sin[index]);
                si += (_re[k] * _sin[index]) + (_im[k] * _cos[index]);
                index += t;
                if (index >= _length)
                {
                    index -= _length; // t < length, so one subtraction wraps
                }
            }

            saliency[t] = Math.Sqrt((sr * sr) + (si * si)) / _length;
        }
    }

    private void ForwardRealDft()
    {
        var half = _length / 2;
        for (var k = 0; k <= half; k++)
        {
            double re = 0;
            double im = 0;
            var index = 0;
            for (var t = 0; t < _length; t++)
            {
                re += _extended[t] * _cos[index];
                im -= _extended[t] * _sin[index];
                index += k;
                if (index >= _length)
                {
                    index -= _length;
                }
            }

            _re[k] = re;
            _im[k] = im;
            if (k > 0 && k < _length - k)
            {
                // A real input's spectrum is conjugate-symmetric.
                _re[_length - k] = re;
                _im[_length - k] = -im;
            }
        }
    }
}
