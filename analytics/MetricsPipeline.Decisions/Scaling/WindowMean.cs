namespace MetricsPipeline.Decisions.Scaling;

/// <summary>
/// A robust mean of exactly the last <c>segments × segmentLength</c> finite values: the window is split by age into
/// consecutive segments (the newest <c>segmentLength</c> values, the ones before them, …) and the aggregate is the
/// median of the segment means — of segment 0 (even while it fills) and of every older segment that is full; the mean
/// of the middle two for an even number. With one segment it is the plain sliding mean. A value leaves the aggregate
/// when it leaves the window, however large it was (an exponential mean keeps a thousandfold value in its tail for many
/// windows), and with three or more segments a burst confined to one segment does not decide it at all, while what
/// recurs in every segment (a daily step's misses, with day-long segments) does. Fixed memory, O(segments) per value,
/// no allocation. The segment sums are recomputed from the ring each time the ring wraps, so rounding errors of the
/// additions and subtractions cannot accumulate past one pass. Not thread-safe.
/// </summary>
internal sealed class WindowMean
{
    private readonly double[] _ring;
    private readonly double[] _sums;
    private readonly double[] _means;
    private readonly int _segment;
    private int _next;

    /// <summary>Creates the window.</summary>
    /// <param name="segmentLength">Values per segment (at least 1).</param>
    /// <param name="segments">Segments (at least 1).</param>
    public WindowMean(int segmentLength, int segments = 1)
    {
        _segment = Math.Max(1, segmentLength);
        var count = Math.Max(1, segments);
        _sums = new double[count];
        _means = new double[count];
        _ring = new double[checked(_segment * count)];
    }

    /// <summary>How many values are held at most.</summary>
    public int Capacity => _ring.Length;

    /// <summary>How many values are held (at most the capacity).</summary>
    public int Count { get; private set; }

    /// <summary>The median of the segment means (see the type); NaN before any value.</summary>
    public double Mean
    {
        get
        {
            if (Count == 0)
            {
                return double.NaN;
            }

            // Segment 0 always; older segments once full (a segment's mean over a few values is not yet comparable).
            int used = 0;
            for (int s = 0; s < _sums.Length; s++)
            {
                int held = SegmentCount(s);
                if (s == 0 || held == _segment)
                {
                    _means[used++] = _sums[s] / held;
                }
            }

            if (used == 1)
            {
                return _means[0];
            }

            Array.Sort(_means, 0, used);
            return used % 2 == 1 ? _means[used / 2] : (_means[(used / 2) - 1] + _means[used / 2]) / 2;
        }
    }

    /// <summary>Adds a finite value (others are ignored), forgetting the oldest once the window is full.</summary>
    public void Add(double value)
    {
        if (!double.IsFinite(value))
        {
            return;
        }

        int last = _sums.Length - 1;
        if (Count == _ring.Length)
        {
            // The oldest value (at the write position) leaves the last segment and the window.
            _sums[last] -= _ring[_next];
        }
        else
        {
            Count++;
        }

        // With the new value at age 0, the value now at age (s + 1) × segment moves from segment s to s + 1.
        for (int s = 0; s < last; s++)
        {
            int age = (s + 1) * _segment;
            if (age < Count)
            {
                // The write position has not advanced yet: the value that will have this age is `age` places before it.
                double moved = _ring[(_next - age + _ring.Length) % _ring.Length];
                _sums[s] -= moved;
                _sums[s + 1] += moved;
            }
        }

        _ring[_next] = value;
        _sums[0] += value;
        _next = (_next + 1) % _ring.Length;
        if (_next == 0)
        {
            Resum();
        }
    }

    /// <summary>Holds <paramref name="count"/> copies of <paramref name="value"/> (clamped to [1, capacity]) and nothing else; nothing for a value that is not finite.</summary>
    public void Seed(double value, int count)
    {
        Array.Clear(_ring);
        Array.Clear(_sums);
        (Count, _next) = (0, 0);
        if (double.IsFinite(value))
        {
            for (int i = Math.Clamp(count, 1, _ring.Length); i > 0; i--)
            {
                Add(value);
            }
        }
    }

    /// <summary>Writes the shape, the ring, its position and the segment sums (so a restored window continues bit for bit).</summary>
    public void Save(BinaryWriter w)
    {
        w.Write(_segment);
        w.Write(_sums.Length);
        w.Write(Count);
        w.Write(_next);
        foreach (var sum in _sums)
        {
            w.Write(sum);
        }

        for (int i = 0; i < Count; i++)
        {
            w.Write(_ring[i]);
        }
    }

    /// <summary>Reads past what <see cref="Save"/> wrote, of any shape.</summary>
    public static void Skip(BinaryReader r)
    {
        var segment = r.ReadInt32();
        var segments = r.ReadInt32();
        var count = r.ReadInt32();
        _ = r.ReadInt32();
        if (segment < 1 || segments < 1 || count < 0 || count > (long)segment * segments)
        {
            throw new FormatException("Window mean shape out of range.");
        }

        for (int i = 0; i < segments + count; i++)
        {
            _ = r.ReadDouble();
        }
    }

    /// <summary>Replaces the values held with those <see cref="Save"/> wrote; the shape must be the same.</summary>
    public void Restore(BinaryReader r)
    {
        var segment = r.ReadInt32();
        var segments = r.ReadInt32();
        if (segment != _segment || segments != _sums.Length)
        {
            throw new FormatException($"A window mean of {segments} × {segment} values cannot be restored into one of {_sums.Length} × {_segment}.");
        }

        var count = r.ReadInt32();
        var next = r.ReadInt32();
        if (count < 0 || count > _ring.Length || next < 0 || next >= _ring.Length || (count < _ring.Length && next != count))
        {
            throw new FormatException("Window mean position out of range.");
        }

        for (int s = 0; s < _sums.Length; s++)
        {
            _sums[s] = r.ReadDouble();
        }

        Array.Clear(_ring);
        for (int i = 0; i < count; i++)
        {
            _ring[i] = r.ReadDouble();
        }

        (Count, _next) = (count, next);
    }

    private int SegmentCount(int s) => Math.Clamp(Count - (s * _segment), 0, _segment);

    // The ring index of the value of the given age (0 = the newest, written just before the write position).
    private int Index(int age) => (((_next - 1 - age) % _ring.Length) + _ring.Length) % _ring.Length;

    private void Resum()
    {
        Array.Clear(_sums);
        for (int age = 0; age < Count; age++)
        {
            _sums[age / _segment] += _ring[Index(age)];
        }
    }
}
