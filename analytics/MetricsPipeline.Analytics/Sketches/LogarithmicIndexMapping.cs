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
/// <para>The index of x = 2^e·(1+f) is e·M + j, where j is the bucket of the significand f within the binade. Because M
/// is an integer the pattern repeats every binade, and the bucket edges are placed on a grid of 2^k cells of the
/// significand (its top k bits): j is then one table load, <c>grid[top k bits of f]</c>, and the whole index is a
/// shift, a load and a multiply-add on integers, with no comparison and no floating-point math.</para>
/// <para>The bound: the ideal edges 2^(j/M) have ratio 2^(1/M) ≤ γ for M = ceil(1 / log2 γ). Rounding each edge to the
/// nearest grid point moves it by at most 2^−(k+1) in 1+f ∈ [1, 2), so a bucket's edge ratio grows by a factor of at
/// most (1 + 2^−k); k is the smallest in [8, 16] for which every rounded ratio is still ≤ γ (at α = 1%: M = 35, whose
/// ideal ratio 1.019999 leaves 2·10⁻⁴ of room below γ = 1.020202). The constructor checks every ratio exactly on the
/// rounded edges; if no k ≤ 16 fits (α below about 0.1%), M grows until k = 16 fits, which costs a few percent more
/// buckets than ideal. A value v in a bucket [L, U) with U/L ≤ γ is within α of the representative 2·L·U/(L+U)
/// (see the constructor), which is the guarantee.</para>
/// <para>Instances are immutable, shared per α (see <see cref="For"/>), and thread-safe.</para>
/// </remarks>
internal sealed class LogarithmicIndexMapping
{
    private const int ExponentBias = 1023;
    private const int MinGridBits = 8;
    private const int MaxGridBits = 16;

    private static readonly ConcurrentDictionary<double, LogarithmicIndexMapping> Cache = new();

    private readonly ushort[] _grid;
    private readonly int _gridShift;
    private readonly double[] _representatives;
    private readonly long[] _edges;

    private LogarithmicIndexMapping(double relativeAccuracy)
    {
        RelativeAccuracy = relativeAccuracy;
        double gamma = (1 + relativeAccuracy) / (1 - relativeAccuracy);
        int m = Math.Max(1, (int)Math.Ceiling(1 / Math.Log2(gamma) * (1 + 1e-12)));
        int gridBits = MinGridBits;
        long[]? edges = null;
        while (gridBits < MaxGridBits && (edges = GridEdges(m, gridBits, gamma)) is null)
        {
            gridBits++;
        }

        while ((edges = GridEdges(m, gridBits, gamma)) is null)
        {
            m++;
        }

        _edges = edges;
        BucketsPerBinade = m;
        GridBits = gridBits;
        _gridShift = 64 - gridBits;
        _grid = BuildGrid(edges, gridBits);

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

    /// <summary>Bits of the significand that select a grid cell (k).</summary>
    public int GridBits { get; }

    /// <summary>The bucket within the binade of each grid cell; hot callers keep a copy of the reference.</summary>
    public ushort[] Grid => _grid;

    /// <summary>Right shift that turns <c>bits &lt;&lt; 12</c> into a grid cell.</summary>
    public int GridShift => _gridShift;

    /// <summary>
    /// Index of a positive normal finite double, given its IEEE-754 bits and biased exponent (bits &gt;&gt; 52, in [1, 2046]).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Index(ulong bits, int biasedExponent) => Index(bits, biasedExponent, _grid, _gridShift, BucketsPerBinade);

    /// <summary>The lookup itself, over table fields the caller may hold directly (see <see cref="Grid"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Index(ulong bits, int biasedExponent, ushort[] grid, int gridShift, int bucketsPerBinade)
    {
        // Shifting the sign and exponent out leaves the significand in the top 52 bits, whose top k bits are the cell.
        // The cell is below grid.Length by construction, so the load needs no bounds check.
        nint cell = (nint)((bits << 12) >> gridShift);
        return (biasedExponent * bucketsPerBinade) + Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(grid), cell);
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

    /// <summary>
    /// Significand bits (0 … 2^52) where each bucket of a binade starts, edges[M] = 2^52: the edges 2^(j/M) rounded to
    /// the nearest multiple of 2^(52−k). Null when two edges coincide or some bucket's edge ratio exceeds γ.
    /// </summary>
    private static long[]? GridEdges(int m, int gridBits, double gamma)
    {
        if (m > 1 << gridBits)
        {
            return null;
        }

        double cells = 1 << gridBits;
        var edges = new long[m + 1];
        for (int j = 1; j < m; j++)
        {
            long cell = (long)Math.Round((Math.Pow(2, (double)j / m) - 1) * cells);
            edges[j] = cell << (52 - gridBits);
        }

        edges[m] = 1L << 52;
        for (int j = 0; j < m; j++)
        {
            double low = 1 + (edges[j] / (double)(1L << 52));
            double high = 1 + (edges[j + 1] / (double)(1L << 52));
            if (!(edges[j + 1] > edges[j] && high / low <= gamma))
            {
                return null;
            }
        }

        return edges;
    }

    /// <summary>The bucket of each of the 2^k grid cells: the last edge at or below the cell's start.</summary>
    private static ushort[] BuildGrid(long[] edges, int gridBits)
    {
        int cells = 1 << gridBits;
        var grid = new ushort[cells];
        int bucket = 0;
        for (int t = 0; t < cells; t++)
        {
            long start = (long)t << (52 - gridBits);
            while (edges[bucket + 1] <= start)
            {
                bucket++;
            }

            grid[t] = (ushort)bucket;
        }

        return grid;
    }
}
