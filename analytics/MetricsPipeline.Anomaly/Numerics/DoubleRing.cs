namespace MetricsPipeline.Anomaly.Numerics;

/// <summary>A fixed-capacity FIFO of doubles. Index 0 is the oldest element.</summary>
internal sealed class DoubleRing
{
    private readonly double[] _items;
    private int _start;

    public DoubleRing(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _items = new double[capacity];
    }

    public int Capacity => _items.Length;

    public int Count { get; private set; }

    public bool IsFull => Count == _items.Length;

    public double this[int index] => _items[(_start + index) % _items.Length];

    /// <summary>The newest element (requires Count &gt; 0).</summary>
    public double Last => this[Count - 1];

    /// <summary>Appends a value and returns the evicted one (NaN when nothing was evicted).</summary>
    public double Add(double value)
    {
        if (Count < _items.Length)
        {
            _items[(_start + Count) % _items.Length] = value;
            Count++;
            return double.NaN;
        }

        var evicted = _items[_start];
        _items[_start] = value;
        _start = (_start + 1) % _items.Length;
        return evicted;
    }

    public void CopyTo(Span<double> destination)
    {
        for (var i = 0; i < Count; i++)
        {
            destination[i] = this[i];
        }
    }

    public void Clear()
    {
        _start = 0;
        Count = 0;
    }

    public void Save(BinaryWriter writer)
    {
        writer.Write(_items.Length);
        writer.Write(Count);
        for (var i = 0; i < Count; i++)
        {
            writer.Write(this[i]);
        }
    }

    public void Restore(BinaryReader reader)
    {
        var capacity = reader.ReadInt32();
        if (capacity != _items.Length)
        {
            throw new InvalidDataException($"Checkpoint buffer capacity {capacity} does not match {_items.Length}.");
        }

        var count = reader.ReadInt32();
        if (count < 0 || count > capacity)
        {
            throw new InvalidDataException("Corrupt checkpoint buffer count.");
        }

        Clear();
        for (var i = 0; i < count; i++)
        {
            Add(reader.ReadDouble());
        }
    }
}
