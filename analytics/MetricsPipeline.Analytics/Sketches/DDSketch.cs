using System.Buffers;
using System.Runtime.CompilerServices;

namespace MetricsPipeline.Analytics.Sketches;

/// <summary>
/// A mergeable quantile sketch with a relative-error guarantee (the DDSketch idea): values fall into
/// logarithmically sized buckets, so any reported quantile is within ±α·|q| of the true quantile q.
/// </summary>
/// <remarks>
/// <para>Positive and negative values go to two bucket stores (negatives by magnitude); magnitudes below
/// 2.2250738585072014E-308 (the smallest normal double) count as exact zeros. Each store holds at most
/// <see cref="MaxBuckets"/> buckets; beyond that the lowest-magnitude buckets are folded together, which keeps
/// the upper quantiles of positive data within α.</para>
/// <para>Merging is exact: merging sketches yields the same buckets as sketching the union. Rank convention:
/// <see cref="GetQuantile"/> reports the value of 0-based rank floor(q·(Count−1)).</para>
/// <para>Not thread-safe. <see cref="Add(double)"/> does not allocate once the stores have grown to the data's range,
/// and <see cref="Clear"/> keeps the buffers.</para>
/// </remarks>
public sealed class DDSketch : IQuantileSketch
{
    private const ulong SignBit = 1UL << 63;

    /// <summary>Bits of the smallest positive normal double; positive normal finite values lie in [this, this + NormalSpan).</summary>
    private const ulong MinNormalBits = 0x0010_0000_0000_0000UL;

    private const ulong NormalSpan = 0x7FE0_0000_0000_0000UL;

    private readonly LogarithmicIndexMapping _mapping;

    // Copies of the mapping's table fields: Add reads them from this object directly.
    private readonly ushort[] _grid;
    private readonly int _gridShift;
    private readonly int _bucketsPerBinade;
    private DenseStore _positive;
    private DenseStore _negative;
    private long _zeroCount;
    private long _count;

    // The sum in two halves: value number k (0-based, in insertion order) goes to _sum[k & 1]. With a single
    // accumulator field every Add waits for the previous Add's store to be forwarded and its addition to finish (about
    // 0.5 of 3.3 ns per value on the bench machine); alternating halves each chain, and the count that picks the half
    // is an independent integer chain. Sum = _sum[0] + _sum[1]; it may differ in its last bits from a left-to-right sum.
    private SumHalves _sum;
    private double _min = double.PositiveInfinity;
    private double _max = double.NegativeInfinity;

    /// <summary>Creates a sketch with the default options (α = 1%, 2048 buckets per sign).</summary>
    public DDSketch()
        : this(0.01, 2048)
    {
    }

    /// <summary>Creates a sketch from <paramref name="options"/>.</summary>
    /// <param name="options">Accuracy and bucket cap; see <see cref="DDSketchOptions"/> for defaults and ranges.</param>
    public DDSketch(DDSketchOptions options)
        : this((options ?? throw new ArgumentNullException(nameof(options))).RelativeAccuracy, options.MaxBuckets)
    {
    }

    /// <summary>Creates a sketch with relative accuracy <paramref name="relativeAccuracy"/> and a bucket cap.</summary>
    /// <param name="relativeAccuracy">α in [1e-4, 1); for example 0.01 for 1%.</param>
    /// <param name="maxBuckets">Buckets per sign before the lowest are folded; in [8, 2^22].</param>
    public DDSketch(double relativeAccuracy, int maxBuckets)
    {
        if (!(relativeAccuracy >= DDSketchOptions.MinRelativeAccuracy && relativeAccuracy < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(relativeAccuracy), relativeAccuracy, "The relative accuracy must be in [1e-4, 1).");
        }

        if (maxBuckets < DDSketchOptions.MinMaxBuckets || maxBuckets > DDSketchOptions.MaxMaxBuckets)
        {
            throw new ArgumentOutOfRangeException(nameof(maxBuckets), maxBuckets, "The bucket cap must be in [8, 4194304].");
        }

        _mapping = LogarithmicIndexMapping.For(relativeAccuracy);
        _grid = _mapping.Grid;
        _gridShift = _mapping.GridShift;
        _bucketsPerBinade = _mapping.BucketsPerBinade;
        MaxBuckets = maxBuckets;
        _positive = new DenseStore(maxBuckets);
        _negative = new DenseStore(maxBuckets);
    }

    /// <summary>The relative accuracy α guaranteed for quantiles (outside collapsed buckets).</summary>
    public double RelativeAccuracy => _mapping.RelativeAccuracy;

    /// <summary>The cap on buckets per sign.</summary>
    public int MaxBuckets { get; }

    /// <inheritdoc />
    public long Count => _count;

    /// <inheritdoc />
    public double Sum => _sum[0] + _sum[1];

    /// <inheritdoc />
    public double Min => _count == 0 ? double.NaN : _min;

    /// <inheritdoc />
    public double Max => _count == 0 ? double.NaN : _max;

    /// <summary>Number of values counted as zero (magnitude below the smallest normal double).</summary>
    public long ZeroCount => _zeroCount;

    /// <summary>True when the lowest buckets of either store have been folded since the last <see cref="Clear"/>.</summary>
    public bool IsCollapsed => _positive.IsCollapsed || _negative.IsCollapsed;

    /// <summary>
    /// Bytes held by the bucket arrays, excluding object headers: 2 per bucket slot, plus 8 more per slot of a store
    /// in which some bucket has passed 2^16.
    /// </summary>
    public long BucketArrayBytes => _positive.ArrayBytes + _negative.ArrayBytes;

    internal LogarithmicIndexMapping Mapping => _mapping;

    internal ref DenseStore PositiveStore => ref _positive;

    internal ref DenseStore NegativeStore => ref _negative;

    /// <inheritdoc />
    /// <remarks>
    /// The common case (a positive normal value) updates the statistics first and increments the bucket last, so that
    /// the rare paths (store growth, a 16-bit carry, negative or zero values) are tail calls and the value need not be
    /// kept across a call.
    /// </remarks>
    public void Add(double value)
    {
        ulong bits = (ulong)BitConverter.DoubleToInt64Bits(value);

        // Sign and exponent together: one unsigned compare selects positive, normal, finite values.
        uint exponent = (uint)(bits >> 52);
        if (exponent - 1 >= 2046)
        {
            AddUncommon(value, bits);
            return;
        }

        CountValue(value);
        _positive.IncrementOne(LogarithmicIndexMapping.Index(bits, (int)exponent, _grid, _gridShift, _bucketsPerBinade));
    }

    /// <inheritdoc />
    /// <remarks>
    /// Faster than calling <see cref="Add(double)"/> per value because count, sum, min and max stay in registers for
    /// the whole batch. If a value is NaN or infinite, the values before it are kept and the exception is thrown.
    /// </remarks>
    public void Add(ReadOnlySpan<double> values)
    {
        ushort[] grid = _grid;
        int gridShift = _gridShift;
        int bucketsPerBinade = _bucketsPerBinade;

        // The same halves as Add(double), by the same parity of the running count, so both give bit-identical sums.
        // sumFirst is the half the batch's first value goes to; values at even offsets in the batch go there too.
        bool firstIsOdd = (_count & 1) != 0;
        double sumFirst = _sum[firstIsOdd ? 1 : 0];
        double sumSecond = _sum[firstIsOdd ? 0 : 1];
        double min = _min;
        double max = _max;

        // Two values per turn, one for each half, so that the halves need no branch on the parity.
        int i = 0;
        for (; i + 1 < values.Length; i += 2)
        {
            double first = values[i];
            if (!TryBucket(first, grid, gridShift, bucketsPerBinade))
            {
                break;
            }

            sumFirst += first;
            min = first < min ? first : min;
            max = first > max ? first : max;

            double second = values[i + 1];
            if (!TryBucket(second, grid, gridShift, bucketsPerBinade))
            {
                i++;
                break;
            }

            sumSecond += second;
            min = second < min ? second : min;
            max = second > max ? second : max;
        }

        if (i == values.Length - 1)
        {
            // The odd last value (or the one a NaN stopped the loop at, which is then rejected below).
            double last = values[i];
            if (TryBucket(last, grid, gridShift, bucketsPerBinade))
            {
                i++;
                sumFirst += last;
                min = last < min ? last : min;
                max = last > max ? last : max;
            }
        }

        if (i < values.Length)
        {
            _count += i;
            StoreBatchState(firstIsOdd, sumFirst, sumSecond, min, max);
            ThrowNotFinite(values[i]);
        }

        _count += values.Length;
        StoreBatchState(firstIsOdd, sumFirst, sumSecond, min, max);
    }

    /// <inheritdoc />
    public void Add(double value, long count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (!double.IsFinite(value))
        {
            ThrowNotFinite(value);
        }

        if (count == 0)
        {
            return;
        }

        ulong bits = (ulong)BitConverter.DoubleToInt64Bits(value);
        ulong magnitude = bits & ~SignBit;
        if (magnitude - MinNormalBits < NormalSpan)
        {
            ref DenseStore store = ref ((long)bits < 0 ? ref _negative : ref _positive);
            store.Increment(_mapping.Index(magnitude, (int)(magnitude >> 52)), count);
        }
        else
        {
            _zeroCount += count;
        }

        _count += count;
        _sum[0] += value * count;
        _min = Math.Min(_min, value);
        _max = Math.Max(_max, value);
    }

    /// <inheritdoc />
    /// <remarks>
    /// Sketches with different <see cref="MaxBuckets"/> can be merged; the result keeps this sketch's cap. With equal caps
    /// the result has exactly the buckets of a sketch built from the union of the data.
    /// </remarks>
    /// <exception cref="ArgumentException">
    /// <paramref name="other"/> is not a <see cref="DDSketch"/> or has a different relative accuracy.
    /// </exception>
    public void Merge(IQuantileSketch other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other is not DDSketch sketch)
        {
            throw new ArgumentException($"A DDSketch can only merge another DDSketch, not {other.GetType().Name}.", nameof(other));
        }

        if (sketch.RelativeAccuracy != RelativeAccuracy)
        {
            throw new ArgumentException(
                $"Cannot merge DDSketches with different relative accuracy ({RelativeAccuracy} and {sketch.RelativeAccuracy}): their buckets do not line up.",
                nameof(other));
        }

        if (sketch._count == 0)
        {
            return;
        }

        bool isSelf = ReferenceEquals(sketch, this);
        _positive.MergeFrom(in sketch._positive, isSelf);
        _negative.MergeFrom(in sketch._negative, isSelf);
        _zeroCount += sketch._zeroCount;
        _count += sketch._count;
        _sum[0] += sketch.Sum;
        _min = Math.Min(_min, sketch._min);
        _max = Math.Max(_max, sketch._max);
    }

    /// <inheritdoc />
    public double GetQuantile(double q)
    {
        if (!(q >= 0 && q <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(q), q, "The quantile must be in [0, 1].");
        }

        if (_count == 0)
        {
            return double.NaN;
        }

        if (q == 0)
        {
            return _min;
        }

        if (q == 1)
        {
            return _max;
        }

        long rank = (long)Math.Floor(q * (_count - 1));
        long negativeCount = _negative.TotalCount();
        double value;
        if (rank < negativeCount)
        {
            // Larger magnitudes are smaller values, so negatives are walked from the top index down.
            value = -_mapping.Value(_negative.IndexAtRankDescending(rank));
        }
        else if (rank < negativeCount + _zeroCount)
        {
            value = 0;
        }
        else
        {
            value = _mapping.Value(_positive.IndexAtRankAscending(rank - negativeCount - _zeroCount));
        }

        // The true quantile lies in [min, max], so clamping can only reduce the error.
        return Math.Clamp(value, _min, _max);
    }

    /// <inheritdoc />
    public void Clear()
    {
        _positive.Clear();
        _negative.Clear();
        _zeroCount = 0;
        _count = 0;
        _sum[0] = 0;
        _sum[1] = 0;
        _min = double.PositiveInfinity;
        _max = double.NegativeInfinity;
    }

    /// <summary>
    /// True when both sketches have the same accuracy, zero count and count in every bucket (the quantile answers
    /// then agree). Sum may still differ in its last bits because floating-point addition is not associative.
    /// </summary>
    /// <param name="other">The sketch to compare with.</param>
    public bool HasSameBuckets(DDSketch other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return other.RelativeAccuracy == RelativeAccuracy
            && other._zeroCount == _zeroCount
            && _positive.HasSameBuckets(other._positive)
            && _negative.HasSameBuckets(other._negative);
    }

    /// <summary>
    /// Writes the sketch in its compact binary form (format version 2; version 1, from before the grid-aligned bucket edges, is refused): only the non-empty bucket range of each
    /// store, counts as varints. Typically 1–2 bytes per bucket plus a 40-byte header.
    /// </summary>
    /// <param name="writer">Destination buffer.</param>
    public void WriteTo(IBufferWriter<byte> writer) => DDSketchCodec.Write(this, writer);

    /// <summary>Reads a sketch written by <see cref="WriteTo"/>. The span must hold exactly one sketch.</summary>
    /// <param name="data">The encoded sketch.</param>
    /// <returns>A new sketch with the same buckets, count, sum, min and max.</returns>
    /// <exception cref="InvalidDataException">The data is truncated, has trailing bytes, an unknown version or inconsistent contents.</exception>
    public static DDSketch ReadFrom(ReadOnlySpan<byte> data) => DDSketchCodec.Read(data);

    internal void RestoreSummary(long zeroCount, double sum, double min, double max)
    {
        _zeroCount = zeroCount;
        _count = checked(_positive.TotalCount() + _negative.TotalCount() + zeroCount);
        _sum[0] = sum;

        // −0 is the additive identity for every double, including −0 itself, so Sum returns sum bit for bit.
        _sum[1] = -0.0;
        _min = min;
        _max = max;
    }

    internal (long ZeroCount, double Sum, double Min, double Max) GetSummary() => (_zeroCount, Sum, _min, _max);

    /// <summary>
    /// <see cref="Add(double)"/> for negative values, zeros and subnormals (statistics included), and the rejected NaN
    /// and infinities (nothing changes).
    /// </summary>
    /// <summary>The statistics every added value updates: count, sum (by count parity) and extremes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void CountValue(double value)
    {
        long count = _count++;
        _sum[(int)count & 1] += value;
        if (value < _min)
        {
            _min = value;
        }

        if (value > _max)
        {
            _max = value;
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void AddUncommon(double value, ulong bits)
    {
        if (!TryAddUncommon(bits))
        {
            ThrowNotFinite(value);
        }

        CountValue(value);
    }

    /// <summary>Buckets one value of a batch; false (and no change) for NaN and infinities.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool TryBucket(double value, ushort[] grid, int gridShift, int bucketsPerBinade)
    {
        ulong bits = (ulong)BitConverter.DoubleToInt64Bits(value);
        uint exponent = (uint)(bits >> 52);
        if (exponent - 1 < 2046)
        {
            _positive.IncrementOne(LogarithmicIndexMapping.Index(bits, (int)exponent, grid, gridShift, bucketsPerBinade));
            return true;
        }

        return TryAddUncommon(bits);
    }

    /// <summary>
    /// Writes a batch's register copies back; <paramref name="firstIsOdd"/> tells whether <paramref name="sumFirst"/>
    /// (the half the batch's first value went to) is the odd half.
    /// </summary>
    private void StoreBatchState(bool firstIsOdd, double sumFirst, double sumSecond, double min, double max)
    {
        _sum[firstIsOdd ? 1 : 0] = sumFirst;
        _sum[firstIsOdd ? 0 : 1] = sumSecond;
        _min = min;
        _max = max;
    }

    /// <summary>Buckets a negative value or a zero/subnormal; false (and no change) for NaN and infinities.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool TryAddUncommon(ulong bits)
    {
        ulong magnitude = bits & ~SignBit;
        if (magnitude - MinNormalBits < NormalSpan)
        {
            _negative.Increment(_mapping.Index(magnitude, (int)(magnitude >> 52)), 1);
            return true;
        }

        if (magnitude < MinNormalBits)
        {
            _zeroCount++;
            return true;
        }

        return false;
    }

    private static void ThrowNotFinite(double value) =>
        throw new ArgumentOutOfRangeException(nameof(value), value, "Sketches accept finite values only (no NaN or infinity).");
}
