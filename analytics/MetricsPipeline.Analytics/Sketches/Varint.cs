namespace MetricsPipeline.Analytics.Sketches;

/// <summary>LEB128 unsigned varints and zigzag encoding for signed values.</summary>
internal static class Varint
{
    /// <summary>Writes <paramref name="value"/> (1–10 bytes) and returns the byte count.</summary>
    public static int Write(Span<byte> destination, ulong value)
    {
        int n = 0;
        while (value >= 0x80)
        {
            destination[n++] = (byte)(value | 0x80);
            value >>= 7;
        }

        destination[n++] = (byte)value;
        return n;
    }

    /// <summary>Maps signed to unsigned so small magnitudes stay short: 0,−1,1,−2 → 0,1,2,3.</summary>
    public static ulong ZigZag(long value) => (ulong)((value << 1) ^ (value >> 63));

    /// <summary>Inverse of <see cref="ZigZag"/>.</summary>
    public static long UnZigZag(ulong value) => (long)(value >> 1) ^ -(long)(value & 1);
}
