namespace MetricsPipeline.Decisions.Scaling;

/// <summary>
/// A robust mean of the last <c>segments × segmentLength</c> finite values, kept as bucket sums: each segment is at
/// most 24 buckets (hourly ones for a day of 1-minute or 5-minute values; single values for a segment of up to 24).
/// The window is split by age into consecutive segments (the newest buckets, the ones before them, …) and the
/// aggregate is the median of the segment means — of segment 0, which also holds the bucket in progress (even while it
/// fills), and of every older segment that is full; the mean of the middle two for an even number. With one segment
/// it is the plain sliding mean. A value leaves the aggregate when its bucket leaves the window, however large it was
/// (an exponential mean keeps a thousandfold value in its tail for many windows), and with three or more segments a
/// burst confined to one segment does not decide it at all, while what recurs in every segment (a daily step's misses,
/// with day-long segments) does. Fixed memory (about 24 × segments values), no allocation per value; bucket sums are
/// only ever added to, so nothing drifts. Not thread-safe.
/// </summary>
internal sealed class WindowMean
{
    private const int MaxBucketsPerSegment = 24;

    // Slot _current is the bucket in progress; the others hold complete buckets, newest just before it.
    private readonly double[] _buckets;
    private readonly double[] _means;
    private readonly int _segmentLength;
    private readonly int _perSegment;
    private readonly int _bucketSize;
    private int _current;
    private int _partial;
    private int _complete;

    /// <summary>Creates the window.</summary>
    /// <param name="segmentLength">Values per segment (at least 1; rounded up to a whole number of buckets of ⌈length / 24⌉).</param>
    /// <param name="segments">Segments (at least 1).</param>
    public WindowMean(int segmentLength, int segments = 1)
    {
        _segmentLength = Math.Max(1, segmentLength);
        (_bucketSize, _perSegment) = Shape(_segmentLength);
        _means = new double[Math.Max(1, segments)];
        _buckets = new double[checked((_perSegment * _means.Length) + 1)];
    }

    /// <summary>How many values are held at most (complete buckets only; the bucket in progress comes on top).</summary>
    public int Capacity => (_buckets.Length - 1) * _bucketSize;

    /// <summary>How many values are held.</summary>
    public int Count => (_complete * _bucketSize) + _partial;

    /// <summary>The median of the segment means (see the type); NaN before any value.</summary>
    public double Mean
    {
        get
        {
            int used = 0;
            for (int s = 0; s < _means.Length; s++)
            {
                // Complete buckets of ages s × per + 1 … (s + 1) × per (age 1 = the newest complete one).
                int from = (s * _perSegment) + 1;
                int to = Math.Min((s + 1) * _perSegment, _complete);
                if (s > 0 && to < (s + 1) * _perSegment)
                {
                    // An older segment counts once full (its mean over a few buckets is not yet comparable).
                    break;
                }

                double sum = s == 0 ? _buckets[_current] : 0;
                int count = s == 0 ? _partial : 0;
                for (int age = from; age <= to; age++)
                {
                    sum += _buckets[Slot(age)];
                    count += _bucketSize;
                }

                if (count == 0)
                {
                    return double.NaN;
                }

                _means[used++] = sum / count;
            }

            if (used == 1)
            {
                return _means[0];
            }

            Array.Sort(_means, 0, used);
            return used % 2 == 1 ? _means[used / 2] : (_means[(used / 2) - 1] + _means[used / 2]) / 2;
        }
    }

    /// <summary>Adds a finite value (others are ignored), forgetting the oldest bucket once the window is full.</summary>
    public void Add(double value)
    {
        if (!double.IsFinite(value))
        {
            return;
        }

        _buckets[_current] += value;
        if (++_partial == _bucketSize)
        {
            // The bucket is complete; the slot after it held the oldest complete bucket, which leaves once all are held.
            _complete = Math.Min(_complete + 1, _buckets.Length - 1);
            _current = (_current + 1) % _buckets.Length;
            _buckets[_current] = 0;
            _partial = 0;
        }
    }

    /// <summary>Holds <paramref name="count"/> copies of <paramref name="value"/> (clamped to [1, capacity]) and nothing else; nothing for a value that is not finite.</summary>
    public void Seed(double value, int count)
    {
        Array.Clear(_buckets);
        (_current, _partial, _complete) = (0, 0, 0);
        if (double.IsFinite(value))
        {
            for (int i = Math.Clamp(count, 1, Capacity); i > 0; i--)
            {
                Add(value);
            }
        }
    }

    /// <summary>Writes the shape, the position and the bucket sums (so a restored window continues bit for bit).</summary>
    public void Save(BinaryWriter w)
    {
        w.Write(_segmentLength);
        w.Write(_means.Length);
        w.Write(_current);
        w.Write(_partial);
        w.Write(_complete);
        foreach (var sum in _buckets)
        {
            w.Write(sum);
        }
    }

    /// <summary>Reads past what <see cref="Save"/> wrote, of any shape.</summary>
    public static void Skip(BinaryReader r)
    {
        var segmentLength = r.ReadInt32();
        var segments = r.ReadInt32();
        if (segmentLength < 1 || segments is < 1 or > 1_000)
        {
            throw new FormatException("Window mean shape out of range.");
        }

        r.ReadBytes(12);
        var buckets = (Shape(segmentLength).PerSegment * segments) + 1;
        for (int i = 0; i < buckets; i++)
        {
            _ = r.ReadDouble();
        }
    }

    /// <summary>Replaces the values held with those <see cref="Save"/> wrote; the shape must be the same.</summary>
    public void Restore(BinaryReader r)
    {
        var segmentLength = r.ReadInt32();
        var segments = r.ReadInt32();
        if (segmentLength != _segmentLength || segments != _means.Length)
        {
            throw new FormatException($"A window mean of {segments} × {segmentLength} values cannot be restored into one of {_means.Length} × {_segmentLength}.");
        }

        var current = r.ReadInt32();
        var partial = r.ReadInt32();
        var complete = r.ReadInt32();
        if (current < 0 || current >= _buckets.Length || partial < 0 || partial >= _bucketSize || complete < 0 || complete >= _buckets.Length)
        {
            throw new FormatException("Window mean position out of range.");
        }

        for (int i = 0; i < _buckets.Length; i++)
        {
            _buckets[i] = r.ReadDouble();
        }

        (_current, _partial, _complete) = (current, partial, complete);
    }

    // Buckets of ⌈length / 24⌉ values, as many as cover the segment: it overshoots by less than one bucket (60 → 20 × 3).
    private static (int Size, int PerSegment) Shape(int segmentLength)
    {
        int size = (segmentLength + MaxBucketsPerSegment - 1) / MaxBucketsPerSegment;
        return (size, (segmentLength + size - 1) / size);
    }

    // The slot of the complete bucket of the given age (1 = the newest complete one).
    private int Slot(int age) => (_current - age + _buckets.Length) % _buckets.Length;
}
