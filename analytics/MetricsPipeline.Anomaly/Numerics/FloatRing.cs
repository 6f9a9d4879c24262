namespace MetricsPipeline.Anomaly.Numerics;

/// <summary>A fixed-capacity FIFO of floats (ML.NET's FixedSizeQueue). Index 0 is the oldest element.</summary>
internal sealed class FloatRing
{
    private readonly float[] _items;
    private int _start;

    public FloatRing(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _items = new float[capacity];
    }

    public int Capacity => _items.Length;

    public int Count { get; private set; }

    public bool IsFull => Count == _items.Length;

    public float this[int index] => _items[(_start + index) % _items.Length];

    /// <summary>Appends a value, evicting the oldest one when full.</summary>
    public void Add(float value)
    {
        if (Count < _items.Length)
        {
            _items[(_start + Count) % _items.Length] = value;
            Count++;
        }
        else
        {
            _items[_start] = value;
            _start = (_start + 1) % _items.Length;
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
            Add(reader.ReadSingle());
        }
    }
}
