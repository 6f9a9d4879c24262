namespace MetricsPipeline.Forecasting;

/// <summary>
/// Online recalibration of forecast bounds from matured errors only (in the spirit of adaptive conformal
/// prediction). After each new actual, the forecasts that targeted it are scored as |actual − forecast| / half-width
/// per horizon step; each step's bounds are then widened or narrowed by the <c>confidenceLevel</c> quantile of its last
/// <c>window</c> ratios. Until a step has <c>minSamples</c> ratios its bounds are left as the model made them (the
/// training calibration). Why: the noise variances come from the training rows, and on real series the error level
/// drifts after training, which a fixed factor cannot follow. Uses nothing the forecaster would not know at the
/// origin. Allocation-free after construction. With a long horizon only <c>maxTrackedSteps</c> evenly spaced steps
/// (always the first and the last) are scored and the factors of the steps between are interpolated linearly: memory is
/// 16 × tracked × (horizon + window) bytes instead of 16 × horizon × (horizon + window) (the stream's 10 000 series at
/// horizon 60 would otherwise hold 1.5 GB of calibrators).
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
    private readonly int[] _tracked;
    private readonly int _maxTracked;
    private long _observed;

    /// <summary>The number of tracked steps <see cref="SsaForecaster"/>'s calibrators use: 12 (every step up to horizon 12).</summary>
    public const int DefaultMaxTrackedSteps = 12;

    /// <summary>Creates a calibrator.</summary>
    /// <param name="horizon">Forecast steps per origin.</param>
    /// <param name="confidenceLevel">Target coverage, in (0, 1).</param>
    /// <param name="window">Matured ratios kept per step. The default is 200.</param>
    /// <param name="minSamples">Ratios a step needs before it is recalibrated. The default is 30.</param>
    /// <param name="maxTrackedSteps">
    /// Steps scored at most (evenly spaced, first and last included; the others interpolated); 0 or ≥ horizon scores
    /// every step. The default is 0.
    /// </param>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is out of range.</exception>
    public OnlineBoundCalibrator(int horizon, double confidenceLevel, int window = 200, int minSamples = 30, int maxTrackedSteps = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxTrackedSteps);
        ArgumentOutOfRangeException.ThrowIfEqual(maxTrackedSteps, 1);
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
        _maxTracked = maxTrackedSteps;
        int k = maxTrackedSteps == 0 || maxTrackedSteps >= horizon ? horizon : maxTrackedSteps;
        _tracked = new int[k];
        for (int j = 0; j < k; j++)
        {
            _tracked[j] = k == horizon ? j : (int)Math.Round((double)j * (horizon - 1) / (k - 1));
        }

        _pendingForecast = new double[horizon * k];
        _pendingHalfWidth = new double[horizon * k];
        _pendingValid = new bool[horizon];
        _ring = new double[k * window];
        _sorted = new double[k * window];
        _count = new int[k];
        _head = new int[k];
    }

    /// <summary>Forecast steps per origin.</summary>
    public int Horizon => _h;

    /// <summary>Matured ratios currently held for <paramref name="step"/> (0-based).</summary>
    public int SampleCount(int step)
    {
        int j = Array.BinarySearch(_tracked, step);
        return j >= 0 ? _count[j] : 0;
    }

    /// <summary>
    /// Registers the next actual: scores every recorded forecast that targeted it. Call once per consumed point,
    /// before <see cref="Record"/> of the forecast made after it. Non-finite actuals are skipped (still counted).
    /// </summary>
    public void Observe(double actual)
    {
        _observed++;
        int k = _tracked.Length;
        for (int j = 0; j < k; j++)
        {
            long origin = _observed - 1 - _tracked[j];
            if (origin < 0)
            {
                break;
            }

            int slot = (int)(origin % _h);
            if (!_pendingValid[slot] || !double.IsFinite(actual))
            {
                continue;
            }

            double half = _pendingHalfWidth[(slot * k) + j];
            if (half > 0 && double.IsFinite(half))
            {
                Add(j, Math.Abs(actual - _pendingForecast[(slot * k) + j]) / half);
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
        int k = _tracked.Length;
        for (int j = 0; j < k; j++)
        {
            int i = _tracked[j];
            _pendingForecast[(slot * k) + j] = forecast[i];
            _pendingHalfWidth[(slot * k) + j] = (upper[i] - lower[i]) / 2;
        }

        _pendingValid[slot] = true;
    }

    /// <summary>The factor applied to step <paramref name="step"/>'s half-width (1 until it has enough samples).</summary>
    public double Factor(int step)
    {
        int j = Array.BinarySearch(_tracked, step);
        if (j >= 0)
        {
            return TrackedFactor(j);
        }

        // Between tracked steps j − 1 and j: linear in the step.
        j = ~j;
        int a = _tracked[j - 1];
        int b = _tracked[j];
        double t = (double)(step - a) / (b - a);
        return ((1 - t) * TrackedFactor(j - 1)) + (t * TrackedFactor(j));
    }

    private double TrackedFactor(int j)
    {
        int n = _count[j];
        if (n < _minSamples)
        {
            return 1;
        }

        int index = Math.Clamp((int)Math.Ceiling(_level * n) - 1, 0, n - 1);
        return _sorted[(j * _window) + index];
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
        w.Write(_maxTracked);
        w.Write(_observed);
        for (int i = 0; i < _h; i++)
        {
            w.Write(_pendingValid[i]);
        }

        for (int j = 0; j < _tracked.Length; j++)
        {
            w.Write(_count[j]);
            w.Write(_head[j]);
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
        for (int j = 0; j < _tracked.Length; j++)
        {
            for (int k = 0; k < _count[j]; k++)
            {
                w.Write(_ring[(j * _window) + k]);
                w.Write(_sorted[(j * _window) + k]);
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
        int maxTracked = r.ReadInt32();
        if (maxTracked < 0 || maxTracked == 1 || h < 1 || h > 1 << 16 || window < 1 || window > 1 << 20 || (long)h * window > 1 << 24 || minSamples < 1 || !(level > 0 && level < 1))
        {
            throw new InvalidDataException("Corrupt bound calibrator state.");
        }

        var c = new OnlineBoundCalibrator(h, level, window, minSamples, maxTracked) { _observed = r.ReadInt64() };
        for (int i = 0; i < h; i++)
        {
            c._pendingValid[i] = r.ReadBoolean();
        }

        int tracked = c._tracked.Length;
        for (int j = 0; j < tracked; j++)
        {
            c._count[j] = r.ReadInt32();
            c._head[j] = r.ReadInt32();
            if (c._count[j] < 0 || c._count[j] > window || c._head[j] < 0 || c._head[j] >= window)
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

        for (int j = 0; j < tracked; j++)
        {
            for (int k = 0; k < c._count[j]; k++)
            {
                c._ring[(j * window) + k] = r.ReadDouble();
                c._sorted[(j * window) + k] = r.ReadDouble();
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
