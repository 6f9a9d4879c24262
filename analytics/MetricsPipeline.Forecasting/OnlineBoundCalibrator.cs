namespace MetricsPipeline.Forecasting;

/// <summary>
/// Online recalibration of forecast bounds from matured errors only (in the spirit of adaptive conformal
/// prediction). After each new actual, the forecasts that targeted it are scored as |actual − forecast| / half-width
/// per horizon step; each step's bounds are then widened or narrowed by the <c>confidenceLevel</c> quantile of its last
/// <c>window</c> ratios. Until a step has <c>minSamples</c> ratios its bounds are left as the model made them (the
/// training calibration). Why: the noise variances come from the training rows, and on real series the error level
/// drifts after training, which a fixed factor cannot follow. Uses nothing the forecaster would not know at the
/// origin. Allocation-free after construction.
/// </summary>
public sealed class OnlineBoundCalibrator
{
    private readonly int _h;
    private readonly double _level;
    private readonly int _window;
    private readonly int _minSamples;
    private readonly double[] _pendingForecast;
    private readonly double[] _pendingHalfWidth;
    private readonly bool[] _pendingValid;
    private readonly double[] _ring;
    private readonly double[] _sorted;
    private readonly int[] _count;
    private readonly int[] _head;
    private long _observed;

    /// <summary>Creates a calibrator.</summary>
    /// <param name="horizon">Forecast steps per origin.</param>
    /// <param name="confidenceLevel">Target coverage, in (0, 1).</param>
    /// <param name="window">Matured ratios kept per step. The default is 200.</param>
    /// <param name="minSamples">Ratios a step needs before it is recalibrated. The default is 30.</param>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is out of range.</exception>
    public OnlineBoundCalibrator(int horizon, double confidenceLevel, int window = 200, int minSamples = 30)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(horizon, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(window, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(minSamples, 1);
        if (!(confidenceLevel > 0 && confidenceLevel < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(confidenceLevel), confidenceLevel, "The confidence level should be in (0, 1).");
        }

        _h = horizon;
        _level = confidenceLevel;
        _window = window;
        _minSamples = Math.Min(minSamples, window);
        _pendingForecast = new double[horizon * horizon];
        _pendingHalfWidth = new double[horizon * horizon];
        _pendingValid = new bool[horizon];
        _ring = new double[horizon * window];
        _sorted = new double[horizon * window];
        _count = new int[horizon];
        _head = new int[horizon];
    }

    /// <summary>Forecast steps per origin.</summary>
    public int Horizon => _h;

    /// <summary>Matured ratios currently held for <paramref name="step"/> (0-based).</summary>
    public int SampleCount(int step) => _count[step];

    /// <summary>
    /// Registers the next actual: scores every recorded forecast that targeted it. Call once per consumed point,
    /// before <see cref="Record"/> of the forecast made after it. Non-finite actuals are skipped (still counted).
    /// </summary>
    public void Observe(double actual)
    {
        _observed++;
        for (int i = 0; i < _h; i++)
        {
            long origin = _observed - 1 - i;
            if (origin < 0)
            {
                break;
            }

            int slot = (int)(origin % _h);
            if (!_pendingValid[slot] || !double.IsFinite(actual))
            {
                continue;
            }

            double half = _pendingHalfWidth[(slot * _h) + i];
            if (half > 0 && double.IsFinite(half))
            {
                Add(i, Math.Abs(actual - _pendingForecast[(slot * _h) + i]) / half);
            }
        }

        // The slot about to be reused held the origin whose last step just matured.
        _pendingValid[(int)(_observed % _h)] = false;
    }

    /// <summary>Records the model's forecast and bounds made at the current origin (before <see cref="Adjust"/>).</summary>
    /// <exception cref="ArgumentException">The spans are not all of length horizon.</exception>
    public void Record(ReadOnlySpan<double> forecast, ReadOnlySpan<double> lower, ReadOnlySpan<double> upper)
    {
        if (forecast.Length != _h || lower.Length != _h || upper.Length != _h)
        {
            throw new ArgumentException($"Forecast and bounds must have length {_h}.", nameof(forecast));
        }

        int slot = (int)(_observed % _h);
        for (int i = 0; i < _h; i++)
        {
            _pendingForecast[(slot * _h) + i] = forecast[i];
            _pendingHalfWidth[(slot * _h) + i] = (upper[i] - lower[i]) / 2;
        }

        _pendingValid[slot] = true;
    }

    /// <summary>The factor applied to step <paramref name="step"/>'s half-width (1 until it has enough samples).</summary>
    public double Factor(int step)
    {
        int n = _count[step];
        if (n < _minSamples)
        {
            return 1;
        }

        int index = Math.Clamp((int)Math.Ceiling(_level * n) - 1, 0, n - 1);
        return _sorted[(step * _window) + index];
    }

    /// <summary>Rescales the bounds around <paramref name="forecast"/> in place by each step's <see cref="Factor"/>.</summary>
    /// <exception cref="ArgumentException">The spans are not all of length horizon.</exception>
    public void Adjust(ReadOnlySpan<double> forecast, Span<double> lower, Span<double> upper)
    {
        if (forecast.Length != _h || lower.Length != _h || upper.Length != _h)
        {
            throw new ArgumentException($"Forecast and bounds must have length {_h}.", nameof(forecast));
        }

        for (int i = 0; i < _h; i++)
        {
            double factor = Factor(i);
            lower[i] = forecast[i] - (factor * (forecast[i] - lower[i]));
            upper[i] = forecast[i] + (factor * (upper[i] - forecast[i]));
        }
    }

    /// <summary>Writes the full state (checkpoints: a restored calibrator continues bit for bit).</summary>
    internal void Write(BinaryWriter w)
    {
        w.Write(_h);
        w.Write(_level);
        w.Write(_window);
        w.Write(_minSamples);
        w.Write(_observed);
        for (int i = 0; i < _h; i++)
        {
            w.Write(_pendingValid[i]);
            w.Write(_count[i]);
            w.Write(_head[i]);
        }

        foreach (double v in _pendingForecast)
        {
            w.Write(v);
        }

        foreach (double v in _pendingHalfWidth)
        {
            w.Write(v);
        }

        // Only the filled part of each step's ring and sorted copy carries information.
        for (int i = 0; i < _h; i++)
        {
            for (int k = 0; k < _count[i]; k++)
            {
                w.Write(_ring[(i * _window) + k]);
                w.Write(_sorted[(i * _window) + k]);
            }
        }
    }

    /// <summary>Reads a state written by <see cref="Write"/>.</summary>
    /// <exception cref="InvalidDataException">The data is inconsistent.</exception>
    internal static OnlineBoundCalibrator Read(BinaryReader r)
    {
        int h = r.ReadInt32();
        double level = r.ReadDouble();
        int window = r.ReadInt32();
        int minSamples = r.ReadInt32();
        if (h < 1 || h > 1 << 16 || window < 1 || window > 1 << 20 || (long)h * window > 1 << 24 || minSamples < 1 || !(level > 0 && level < 1))
        {
            throw new InvalidDataException("Corrupt bound calibrator state.");
        }

        var c = new OnlineBoundCalibrator(h, level, window, minSamples) { _observed = r.ReadInt64() };
        for (int i = 0; i < h; i++)
        {
            c._pendingValid[i] = r.ReadBoolean();
            c._count[i] = r.ReadInt32();
            c._head[i] = r.ReadInt32();
            if (c._count[i] < 0 || c._count[i] > window || c._head[i] < 0 || c._head[i] >= window)
            {
                throw new InvalidDataException("Corrupt bound calibrator state.");
            }
        }

        for (int i = 0; i < c._pendingForecast.Length; i++)
        {
            c._pendingForecast[i] = r.ReadDouble();
        }

        for (int i = 0; i < c._pendingHalfWidth.Length; i++)
        {
            c._pendingHalfWidth[i] = r.ReadDouble();
        }

        for (int i = 0; i < h; i++)
        {
            for (int k = 0; k < c._count[i]; k++)
            {
                c._ring[(i * window) + k] = r.ReadDouble();
                c._sorted[(i * window) + k] = r.ReadDouble();
            }
        }

        return c;
    }

    private void Add(int step, double ratio)
    {
        var ring = _ring.AsSpan(step * _window, _window);
        var sorted = _sorted.AsSpan(step * _window, _window);
        int n = _count[step];
        if (n == _window)
        {
            // Evict the oldest ratio from the sorted copy.
            double old = ring[_head[step]];
            int at = sorted[..n].BinarySearch(old);
            sorted.Slice(at + 1, n - at - 1).CopyTo(sorted[at..]);
            n--;
        }

        ring[_head[step]] = ratio;
        _head[step] = (_head[step] + 1) % _window;
        int pos = sorted[..n].BinarySearch(ratio);
        if (pos < 0)
        {
            pos = ~pos;
        }

        sorted.Slice(pos, n - pos).CopyTo(sorted[(pos + 1)..]);
        sorted[pos] = ratio;
        _count[step] = n + 1;
    }
}
