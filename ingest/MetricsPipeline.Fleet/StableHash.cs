namespace MetricsPipeline.Fleet;

/// <summary>FNV-1a over a string's UTF-16 code units: stable across processes, unlike <see cref="string.GetHashCode()"/>.</summary>
internal static class StableHash
{
    public static ulong Of(string text)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in text)
        {
            hash = unchecked((hash ^ c) * 1099511628211UL);
        }

        return SeriesRandom.Mix(hash);
    }

    public static ulong Combine(ulong hash, long value) =>
        SeriesRandom.Mix(hash ^ unchecked((ulong)value * 0xD6E8FEB86659FD93UL));
}
