using System.Runtime.CompilerServices;
using System.Numerics;
using System.Runtime.InteropServices;

namespace MetricsPipeline.Anomaly.Numerics;

/// <summary>
/// A fixed-capacity FIFO of floating-point values (ML.NET's FixedSizeQueue); index 0 is the oldest element. The
/// detectors use it over <see cref="float"/> where ML.NET keeps float32 state and over <see cref="double"/> elsewhere.
/// Not thread-safe.
/// </summary>
internal sealed class Ring<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[] _items;
    private int _start;

    public Ring(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _items = new T[capacity];
    }

    public int Capacity => _items.Length;

    public int Count { get; private set; }

    public bool IsFull => Count == _items.Length;

    public T this[int index] => _items[(_start + index) % _items.Length];

    /// <summary>The newest element (requires Count &gt; 0).</summary>
    public T Last => this[Count - 1];

    /// <summary>Appends a value and returns the evicted one (NaN when nothing was evicted).</summary>
    public T Add(T value)
    {
        if (Count < _items.Length)
        {
            _items[(_start + Count) % _items.Length] = value;
            Count++;
            return T.NaN;
        }

        var evicted = _items[_start];
        _items[_start] = value;
        _start = (_start + 1) % _items.Length;
        return evicted;
    }

    public void CopyTo(Span<T> destination)
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

    /// <summary>Writes capacity, count and the values oldest first, each as BinaryWriter writes a float/double.</summary>
    public void Save(BinaryWriter writer)
    {
        writer.Write(_items.Length);
        writer.Write(Count);
        Span<byte> bytes = stackalloc byte[sizeof(double)];
        bytes = bytes[..Unsafe.SizeOf<T>()];
        for (var i = 0; i < Count; i++)
        {
            var value = this[i];
            MemoryMarshal.Write(bytes, in value);
            // BinaryWriter writes IEEE values little-endian on every platform; keep that format.
            if (!BitConverter.IsLittleEndian)
            {
                bytes.Reverse();
            }

            writer.Write(bytes);
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
        Span<byte> bytes = stackalloc byte[sizeof(double)];
        bytes = bytes[..Unsafe.SizeOf<T>()];
        for (var i = 0; i < count; i++)
        {
            reader.BaseStream.ReadExactly(bytes);
            if (!BitConverter.IsLittleEndian)
            {
                bytes.Reverse();
            }

            Add(MemoryMarshal.Read<T>(bytes));
        }
    }
}
