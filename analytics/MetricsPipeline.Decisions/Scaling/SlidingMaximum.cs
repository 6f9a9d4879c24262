using MetricsPipeline.Decisions.State;

namespace MetricsPipeline.Decisions.Scaling;

/// <summary>
/// The largest value of a sliding time window in amortised O(1) per value: a monotonic deque (values that can never
/// be the maximum again are dropped as soon as a larger one arrives) in a ring that grows only while the window
/// holds more values than ever before, so a steady stream allocates nothing. Values are added in time order.
/// Not thread-safe.
/// </summary>
internal sealed class SlidingMaximum(TimeSpan length)
{
    private (DateTimeOffset Time, double Value)[] _ring = new (DateTimeOffset, double)[16];
    private int _head;
    private int _count;

    /// <summary>The window's length.</summary>
    public TimeSpan Length => length;

    /// <summary>Adds a value (NaN is ignored) and drops those older than the window relative to <paramref name="time"/>.</summary>
    public void Add(DateTimeOffset time, double value)
    {
        Trim(time);
        if (double.IsNaN(value))
        {
            return;
        }

        // A newer value at least as large makes every older smaller one irrelevant for the rest of the window.
        while (_count > 0 && _ring[(_head + _count - 1) % _ring.Length].Value <= value)
        {
            _count--;
        }

        if (_count == _ring.Length)
        {
            var grown = new (DateTimeOffset, double)[_ring.Length * 2];
            for (int i = 0; i < _count; i++)
            {
                grown[i] = _ring[(_head + i) % _ring.Length];
            }

            (_ring, _head) = (grown, 0);
        }

        _ring[(_head + _count) % _ring.Length] = (time, value);
        _count++;
    }

    /// <summary>Drops the values strictly older than <paramref name="now"/> − length.</summary>
    public void Trim(DateTimeOffset now)
    {
        while (_count > 0 && _ring[_head].Time < now - length)
        {
            _head = (_head + 1) % _ring.Length;
            _count--;
        }
    }

    /// <summary>The largest value in the window, or NaN when it is empty.</summary>
    public double Max => _count == 0 ? double.NaN : _ring[_head].Value;

    /// <summary>Writes the values held (oldest first) for a checkpoint.</summary>
    public void Save(BinaryWriter w)
    {
        w.Write(_count);
        for (int i = 0; i < _count; i++)
        {
            var (time, value) = _ring[(_head + i) % _ring.Length];
            StateIO.Write(w, time);
            w.Write(value);
        }
    }

    /// <summary>Replaces the values held with those <see cref="Save"/> wrote.</summary>
    public void Restore(BinaryReader r)
    {
        var count = r.ReadInt32();
        if (count < 0)
        {
            throw new FormatException("Negative item count.");
        }

        var ring = new (DateTimeOffset, double)[Math.Max(16, (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)count))];
        for (int i = 0; i < count; i++)
        {
            ring[i] = (StateIO.ReadInstant(r), r.ReadDouble());
        }

        (_ring, _head, _count) = (ring, 0, count);
    }
}
