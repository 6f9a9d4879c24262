using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace MetricsPipeline.Analytics.Sketches;

/// <summary>
/// Maps positive normal doubles to bucket indices on a logarithmic scale with M buckets per power of two,
/// so that every bucket spans a ratio of at most γ = (1+α)/(1−α) and its representative value is within
/// relative error α of anything in it.
/// </summary>
/// <remarks>
/// <para>The index of x = 2^e·(1+f) is e·M + j, where j = floor(M·log2(1+f)) depends only on the significand.
/// Because M is an integer the pattern repeats every binade, so j comes from a small table instead of a
/// logarithm: the top k significand bits select a slice of the binade narrow enough to contain at most one bucket
/// edge; the table holds the bucket at the slice's start and the exact significand bits of the edge inside it.
/// Indexing is then a shift, a load, a compare and a multiply-add on integers, with no floating-point math.</para>
/// <para>M = ceil(1 / log2 γ), so this uses at most one bucket per binade more than the ideal logarithmic mapping
/// (35 instead of 34.66 per binade at α = 1%). Bucket edges are defined by the table's integer thresholds, and the
/// constructor checks that each bucket's edge ratio is within γ. Instances are immutable, shared per α
/// (see <see cref="For"/>), and thread-safe.</para>
/// </remarks>
internal sealed class LogarithmicIndexMapping
{
    private const long SignificandMask = (1L << 52) - 1;
    private const int ExponentBias = 1023;

    private static readonly ConcurrentDictionary<double, LogarithmicIndexMapping> Cache = new();

    private readonly MappingSlice[] _slices;
    private readonly int _sliceShift;
    private readonly double[] _representatives;
    private readonly long[] _edges;

    private LogarithmicIndexMapping(double relativeAccuracy)
    {
        RelativeAccuracy = relativeAccuracy;
        double gamma = (1 + relativeAccuracy) / (1 - relativeAccuracy);
        int m = Math.Max(1, (int)Math.Ceiling(1 / Math.Log2(gamma) * (1 + 1e-12)));
        while (true)
        {
            _edges = ComputeEdges(m);
            if (EdgeRatiosWithin(_edges, gamma))
            {
                break;
            }

            m++;
        }

        BucketsPerBinade = m;

        // Slices narrower than the narrowest bucket hold at most one edge; start near that width and halve until true.
        int bits = Math.Clamp((int)Math.Ceiling(Math.Log2(m / Math.Log(2))) + 1, 1, 24);
        MappingSlice[]? slices;
        while ((slices = BuildSlices(_edges, bits)) is null)
        {
            bits++;
        }

        _slices = slices;
        _sliceShift = 64 - bits;

        _representatives = new double[m];
        for (int j = 0; j < m; j++)
        {
            double low = 1 + (_edges[j] / (double)(1L << 52));
            double high = 1 + (_edges[j + 1] / (double)(1L << 52));
            double ratio = high / low;

            // 2·L·U/(L+U) is equally far, relatively, from both edges: (U−L)/(U+L) ≤ (γ−1)/(γ+1) = α.
            _representatives[j] = low * (2 * ratio / (1 + ratio));
        }

        MinIndex = BucketsPerBinade;
        MaxIndex = (2047 * BucketsPerBinade) - 1;
    }

    /// <summary>The relative accuracy α this mapping guarantees.</summary>
    public double RelativeAccuracy { get; }

    /// <summary>Buckets per power of two (M).</summary>
    public int BucketsPerBinade { get; }

    /// <summary>Index of the smallest normal double.</summary>
    public int MinIndex { get; }

    /// <summary>Index of <see cref="double.MaxValue"/>.</summary>
    public int MaxIndex { get; }

    /// <summary>
    /// Returns the shared mapping for <paramref name="relativeAccuracy"/>. At most <see cref="MaxCached"/> accuracies are
    /// cached, so decoding sketches with many distinct (possibly hostile) accuracies cannot grow memory without bound.
    /// </summary>
    public static LogarithmicIndexMapping For(double relativeAccuracy)
    {
        if (Cache.TryGetValue(relativeAccuracy, out var cached))
        {
            return cached;
        }

        var mapping = new LogarithmicIndexMapping(relativeAccuracy);
        return Cache.Count < MaxCached ? Cache.GetOrAdd(relativeAccuracy, mapping) : mapping;
    }

    /// <summary>How many distinct accuracies <see cref="For"/> keeps.</summary>
    public const int MaxCached = 32;

    /// <summary>The slice table; hot callers keep a copy of the reference to save an indirection.</summary>
    public MappingSlice[] Slices => _slices;

    /// <summary>Right shift that turns <c>bits &lt;&lt; 12</c> into a slice number.</summary>
    public int SliceShift => _sliceShift;

    /// <summary>
    /// Index of a positive normal finite double, given its IEEE-754 bits and biased exponent (bits &gt;&gt; 52, in [1, 2046]).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Index(ulong bits, int biasedExponent) => Index(bits, biasedExponent, _slices, _sliceShift, BucketsPerBinade);

    /// <summary>The lookup itself, over table fields the caller may hold directly (see <see cref="Slices"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Index(ulong bits, int biasedExponent, MappingSlice[] slices, int sliceShift, int bucketsPerBinade)
    {
        // Shifting the sign and exponent out leaves the significand in the top 52 bits; slice edges are stored the same
        // way, so the lookup needs no 64-bit mask constants. The slice number is below slices.Length by construction.
        ulong significand = bits << 12;
        ref MappingSlice slice = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(slices), (nint)(significand >> sliceShift));
        int above = significand >= slice.Edge ? 1 : 0;
        return (biasedExponent * bucketsPerBinade) + slice.Bucket + above;
    }

    /// <summary>Index of a positive normal finite double.</summary>
    public int Index(double value)
    {
        ulong bits = (ulong)BitConverter.DoubleToInt64Bits(value);
        return Index(bits, (int)(bits >> 52));
    }

    /// <summary>
    /// The value reported for bucket <paramref name="index"/>: within relative error α of every value in the bucket.
    /// Is +∞ for the very top bucket; callers clamp to the observed maximum.
    /// </summary>
    public double Value(int index)
    {
        int binade = Math.DivRem(index, BucketsPerBinade, out int j);
        return Math.ScaleB(_representatives[j], binade - ExponentBias);
    }

    /// <summary>Smallest value that maps to bucket <paramref name="index"/>.</summary>
    public double LowerBound(int index)
    {
        int binade = Math.DivRem(index, BucketsPerBinade, out int j);
        return Math.ScaleB(1 + (_edges[j] / (double)(1L << 52)), binade - ExponentBias);
    }

    /// <summary>Significand bits (0 … 2^52) where each bucket of a binade starts; edges[M] = 2^52.</summary>
    private static long[] ComputeEdges(int m)
    {
        var edges = new long[m + 1];
        for (int j = 1; j < m; j++)
        {
            edges[j] = BitConverter.DoubleToInt64Bits(Math.Pow(2, (double)j / m)) & SignificandMask;
        }

        edges[m] = 1L << 52;
        return edges;
    }

    private static bool EdgeRatiosWithin(long[] edges, double gamma)
    {
        for (int j = 0; j + 1 < edges.Length; j++)
        {
            double low = 1 + (edges[j] / (double)(1L << 52));
            double high = 1 + (edges[j + 1] / (double)(1L << 52));
            if (!(edges[j + 1] > edges[j] && high / low <= gamma))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Builds the slice table for 2^bits slices, or null when some slice holds two edges.</summary>
    private static MappingSlice[]? BuildSlices(long[] edges, int bits)
    {
        int count = 1 << bits;
        long width = 1L << (52 - bits);
        var slices = new MappingSlice[count];
        int bucket = 0;
        for (int t = 0; t < count; t++)
        {
            long start = t * width;
            long end = start + width;
            while (edges[bucket + 1] <= start)
            {
                bucket++;
            }

            long next = edges[bucket + 1];
            if (next < end && bucket + 2 < edges.Length && edges[bucket + 2] < end)
            {
                return null;
            }

            // Edges are kept shifted into the top 52 bits, like the significand in Index. The sentinel (all ones) is
            // greater than every shifted significand (their low 12 bits are zero), so slices without an edge never add one.
            slices[t] = new MappingSlice(next < end ? (ulong)next << 12 : ulong.MaxValue, bucket);
        }

        return slices;
    }
}
