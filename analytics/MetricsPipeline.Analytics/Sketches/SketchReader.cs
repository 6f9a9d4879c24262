using System.Buffers.Binary;

namespace MetricsPipeline.Analytics.Sketches;

/// <summary>Reads sketch encodings from a span; every failure is an <see cref="InvalidDataException"/>.</summary>
internal ref struct SketchReader
{
    private readonly ReadOnlySpan<byte> _data;
    private int _position;

    public SketchReader(ReadOnlySpan<byte> data)
    {
        _data = data;
        _position = 0;
    }

    public readonly int Remaining => _data.Length - _position;

    public readonly bool IsAtEnd => _position == _data.Length;

    public byte ReadByte()
    {
        if (_position >= _data.Length)
        {
            throw Truncated();
        }

        return _data[_position++];
    }

    public double ReadDouble()
    {
        if (Remaining < 8)
        {
            throw Truncated();
        }

        double value = BinaryPrimitives.ReadDoubleLittleEndian(_data[_position..]);
        _position += 8;
        return value;
    }

    public ulong ReadVarint()
    {
        ulong result = 0;
        for (int shift = 0; shift < 64; shift += 7)
        {
            byte b = ReadByte();
            if (shift == 63 && b > 1)
            {
                throw new InvalidDataException("Varint overflows 64 bits.");
            }

            result |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return result;
            }
        }

        throw new InvalidDataException("Varint longer than 10 bytes.");
    }

    private static InvalidDataException Truncated() => new("Truncated DDSketch data.");
}
