namespace MetricsPipeline.Analytics.Sketches;

/// <summary>
/// The exact mode: keeps every value and sorts on demand. Memory grows with the data (8 bytes per value),
/// so use it for tests and as the accuracy reference, not per series in production. Not thread-safe.
/// </summary>
public sealed class ExactQuantiles : IQuantileSketch
{
    private double[] _values;
    private int _count;
    private bool _sorted = true;
    private double _sum;
    private double _min = double.PositiveInfinity;
    private double _max = double.NegativeInfinity;

    /// <summary>Creates an empty instance with room for <paramref name="initialCapacity"/> values (default 16).</summary>
    /// <param name="initialCapacity">Values to reserve space for.</param>
    public ExactQuantiles(int initialCapacity = 16)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(initialCapacity);
        _values = new double[initialCapacity];
    }

    /// <inheritdoc />
    public long Count => _count;

    /// <inheritdoc />
    public double Sum => _sum;

    /// <inheritdoc />
    public double Min => _count == 0 ? double.NaN : _min;

    /// <inheritdoc />
    public double Max => _count == 0 ? double.NaN : _max;

    /// <inheritdoc />
    public void Add(double value)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "Sketches accept finite values only (no NaN or infinity).");
        }

        if (_count == _values.Length)
        {
            Array.Resize(ref _values, Math.Max(16, _values.Length * 2));
        }

        _values[_count++] = value;
        _sorted = false;
        _sum += value;
        if (value < _min)
        {
            _min = value;
        }

        if (value > _max)
        {
            _max = value;
        }
    }

    /// <inheritdoc />
    public void Add(ReadOnlySpan<double> values)
    {
        foreach (double value in values)
        {
            Add(value);
        }
    }

    /// <inheritdoc />
    /// <remarks>Stores <paramref name="count"/> copies, so the count must fit in memory.</remarks>
    public void Add(double value, long count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, Array.MaxLength - (long)_count);
        for (long i = 0; i < count; i++)
        {
            Add(value);
        }
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException"><paramref name="other"/> is not an <see cref="ExactQuantiles"/>.</exception>
    public void Merge(IQuantileSketch other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other is not ExactQuantiles exact)
        {
            throw new ArgumentException($"ExactQuantiles can only merge another ExactQuantiles, not {other.GetType().Name}.", nameof(other));
        }

        int count = exact._count;
        for (int i = 0; i < count; i++)
        {
            Add(exact._values[i]);
        }
    }

    /// <inheritdoc />
    public double GetQuantile(double q)
    {
        if (!(q >= 0 && q <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(q), q, "The quantile must be in [0, 1].");
        }

        if (_count == 0)
        {
            return double.NaN;
        }

        if (!_sorted)
        {
            Array.Sort(_values, 0, _count);
            _sorted = true;
        }

        long rank = (long)Math.Floor(q * (_count - 1));
        return _values[rank];
    }

    /// <inheritdoc />
    public void Clear()
    {
        _count = 0;
        _sorted = true;
        _sum = 0;
        _min = double.PositiveInfinity;
        _max = double.NegativeInfinity;
    }
}
