namespace MetricsPipeline.Decisions.Scaling;

/// <summary>The mean of the most recent values (a fixed ring, no allocation per value). Not thread-safe.</summary>
internal sealed class RunningMean(int capacity)
{
    private readonly double[] _ring = new double[Math.Max(1, capacity)];
    private int _next;
    private double _sum;

    /// <summary>How many values are held (at most the capacity).</summary>
    public int Count { get; private set; }

    /// <summary>Adds a finite value (others are ignored), forgetting the oldest once the ring is full; returns the mean held.</summary>
    public double Add(double value)
    {
        if (double.IsFinite(value))
        {
            if (Count == _ring.Length)
            {
                _sum -= _ring[_next];
            }
            else
            {
                Count++;
            }

            _ring[_next] = value;
            _sum += value;
            _next = (_next + 1) % _ring.Length;
        }

        return Count == 0 ? double.NaN : _sum / Count;
    }

    /// <summary>Writes the ring, its position and the running sum (kept exactly, so the mean does not drift).</summary>
    public void Save(BinaryWriter w)
    {
        w.Write(_ring.Length);
        w.Write(Count);
        w.Write(_next);
        w.Write(_sum);
        for (int i = 0; i < Count; i++)
        {
            w.Write(_ring[i]);
        }
    }

    /// <summary>Replaces the values held with those <see cref="Save"/> wrote; the capacity must be the same.</summary>
    public void Restore(BinaryReader r)
    {
        var capacity = r.ReadInt32();
        if (capacity != _ring.Length)
        {
            throw new FormatException($"A running mean over {capacity} values cannot be restored into one over {_ring.Length}.");
        }

        var count = r.ReadInt32();
        var next = r.ReadInt32();
        if (count < 0 || count > capacity || next < 0 || next >= capacity)
        {
            throw new FormatException("Running mean position out of range.");
        }

        var sum = r.ReadDouble();
        Array.Clear(_ring);
        for (int i = 0; i < count; i++)
        {
            _ring[i] = r.ReadDouble();
        }

        (Count, _next, _sum) = (count, next, sum);
    }
}
