namespace MetricsPipeline.HttpWrite;

/// <summary>64-bit FNV-1a over bytes: cheap, allocation-free identity for series and field keys.</summary>
internal static class Fnv
{
    private const ulong Offset = 14695981039346656037UL;
    private const ulong Prime = 1099511628211UL;

    /// <summary>Hashes <paramref name="bytes"/>.</summary>
    public static ulong Hash(ReadOnlySpan<byte> bytes)
    {
        var hash = Offset;
        foreach (var b in bytes)
        {
            hash = (hash ^ b) * Prime;
        }

        return hash;
    }

    /// <summary>Combines two hashes order-dependently.</summary>
    public static ulong Combine(ulong first, ulong second) => (first * Prime) ^ (second + 0x9E3779B97F4A7C15UL + (first << 6) + (first >> 2));
}
