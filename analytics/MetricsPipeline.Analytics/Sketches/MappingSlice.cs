using System.Runtime.InteropServices;

namespace MetricsPipeline.Analytics.Sketches;

/// <summary>
/// One entry of <see cref="LogarithmicIndexMapping"/>'s lookup table: the bucket (within the binade) where the slice
/// starts, and the significand (shifted into the top 52 bits) where the next bucket starts, or all ones if it does not
/// start inside this slice.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal readonly struct MappingSlice(ulong edge, int bucket)
{
    /// <summary>Significand bits (&lt;&lt; 12) at which the next bucket begins.</summary>
    public readonly ulong Edge = edge;

    /// <summary>Bucket within the binade at the slice's start.</summary>
    public readonly int Bucket = bucket;
}
