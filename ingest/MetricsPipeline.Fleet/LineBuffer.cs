using System.Buffers.Text;
using System.Globalization;

namespace MetricsPipeline.Fleet;

/// <summary>
/// A reusable byte buffer that formats one line at a time exactly as <c>LineProtocolWriter</c> does
/// (floats in round-trip "R" form, integers with an <c>i</c> suffix), without allocating.
/// </summary>
internal sealed class LineBuffer
{
    private byte[] _buffer = new byte[1024];

    public int Length { get; private set; }

    public ReadOnlySpan<byte> Written => _buffer.AsSpan(0, Length);

    /// <summary>Starts a line with <paramref name="seriesKey"/>, making sure the buffer can hold the rest.</summary>
    public void Start(byte[] seriesKey)
    {
        var needed = seriesKey.Length + 512;
        if (_buffer.Length < needed)
        {
            _buffer = new byte[needed * 2];
        }

        seriesKey.CopyTo(_buffer, 0);
        Length = seriesKey.Length;
    }

    public void Field(ReadOnlySpan<byte> separatorAndKey, double value)
    {
        Ascii(separatorAndKey);
        value.TryFormat(_buffer.AsSpan(Length), out var written, "R", CultureInfo.InvariantCulture);
        Length += written;
    }

    public void Field(ReadOnlySpan<byte> separatorAndKey, long value)
    {
        Ascii(separatorAndKey);
        Utf8Formatter.TryFormat(value, _buffer.AsSpan(Length), out var written);
        Length += written;
        _buffer[Length++] = (byte)'i';
    }

    public void End(long timestampNs)
    {
        _buffer[Length++] = (byte)' ';
        Utf8Formatter.TryFormat(timestampNs, _buffer.AsSpan(Length), out var written);
        Length += written;
        _buffer[Length++] = (byte)'\n';
    }

    private void Ascii(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(_buffer.AsSpan(Length));
        Length += bytes.Length;
    }
}
