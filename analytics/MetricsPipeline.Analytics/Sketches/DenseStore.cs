using System.Runtime.CompilerServices;

namespace MetricsPipeline.Analytics.Sketches;

/// <summary>
/// Counts per bucket index in one contiguous array sized to the occupied index range (plus some slack) up to a cap. When the non-empty
/// index range would exceed the cap, the lowest buckets are folded into the lowest kept bucket
/// (keep [hi − cap + 1, hi]). The result depends only on the multiset of indices added, not on their order,
/// which is what makes merging exact. Not thread-safe.
/// </summary>
/// <remarks>
/// <para>Counts are 16-bit, a quarter of a long: almost every bucket of a per-series window holds fewer than 65 536
/// values. A bucket that passes 2^16 carries into a parallel array of 64-bit high parts that is allocated only on the
/// first carry, so counts stay exact up to <see cref="long.MaxValue"/>.</para>
/// <para>The array grows to the needed range plus a quarter (not to the next power of two): for 10⁴ latency-like values
/// (about 400 buckets at α = 1%) that is about 1 KB instead of 2 KB, and each growth still adds at least 25%, so the
/// copying stays amortised O(1) per new bucket.</para>
/// <para>A mutable struct so that the owning sketch reaches the array without an extra indirection on the hot path.
/// Always use it in place (a field accessed directly or by <c>ref</c>); a copy shares the arrays but not the offset.</para>
/// </remarks>
internal struct DenseStore
{
    private const int InitialCapacity = 32;

    /// <summary>Bits of a count held in <see cref="_counts"/>; the rest is in <see cref="_high"/>.</summary>
    private const int LowBits = 16;

    private readonly int _maxBuckets;
    private ushort[] _counts;
    private ulong[]? _high;
    private int _offset;
    private bool _collapsed;

    public DenseStore(int maxBuckets)
    {
        _maxBuckets = maxBuckets;
        _counts = [];
        _high = null;
        _offset = 0;
        _collapsed = false;
    }

    /// <summary>Length of the backing array (for memory accounting).</summary>
    public readonly int Capacity => _counts.Length;

    /// <summary>Bytes held by the backing arrays, excluding object headers.</summary>
    public readonly long ArrayBytes => (2L * _counts.Length) + (8L * (_high?.Length ?? 0));

    /// <summary>Whether lower buckets have been folded since the last <see cref="Clear"/>.</summary>
    public readonly bool IsCollapsed => _collapsed;

    /// <summary>Adds <paramref name="count"/> (≥ 0) to bucket <paramref name="index"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Increment(int index, long count)
    {
        int i = index - _offset;
        ushort[] counts = _counts;
        if ((uint)i < (uint)counts.Length)
        {
            ulong total = counts[i] + (ulong)count;
            counts[i] = (ushort)total;
            if (total > ushort.MaxValue)
            {
                Carry(i, total >> LowBits);
            }

            return;
        }

        IncrementSlow(index, count);
    }

    /// <summary>Adds one to bucket <paramref name="index"/>: the hot path of <see cref="DDSketch.Add(double)"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void IncrementOne(int index)
    {
        int i = index - _offset;
        ushort[] counts = _counts;
        if ((uint)i < (uint)counts.Length)
        {
            if (++counts[i] == 0)
            {
                Carry(i, 1);
            }

            return;
        }

        IncrementSlow(index, 1);
    }

    /// <summary>Zeroes every bucket and keeps the arrays, so reuse does not allocate.</summary>
    public void Clear()
    {
        Array.Clear(_counts);
        if (_high is not null)
        {
            Array.Clear(_high);
        }

        _collapsed = false;
    }

    /// <summary>Sum of all bucket counts.</summary>
    public readonly long TotalCount()
    {
        long total = 0;
        for (int i = 0; i < _counts.Length; i++)
        {
            total += SlotCount(i);
        }

        return total;
    }

    /// <summary>The lowest and highest non-empty indices; false when the store is empty.</summary>
    public readonly bool TryGetRange(out int low, out int high)
    {
        int first = 0;
        while (first < _counts.Length && SlotCount(first) == 0)
        {
            first++;
        }

        if (first == _counts.Length)
        {
            low = high = 0;
            return false;
        }

        int last = _counts.Length - 1;
        while (SlotCount(last) == 0)
        {
            last--;
        }

        low = _offset + first;
        high = _offset + last;
        return true;
    }

    /// <summary>Count in bucket <paramref name="index"/> (0 outside the stored range).</summary>
    public readonly long CountAt(int index)
    {
        int i = index - _offset;
        return (uint)i < (uint)_counts.Length ? SlotCount(i) : 0;
    }

    /// <summary>Index of the bucket holding the value of 0-based <paramref name="rank"/>, walking indices upwards.</summary>
    public readonly int IndexAtRankAscending(long rank)
    {
        long seen = 0;
        for (int i = 0; i < _counts.Length; i++)
        {
            seen += SlotCount(i);
            if (seen > rank)
            {
                return _offset + i;
            }
        }

        throw new InvalidOperationException("Rank beyond the store's count.");
    }

    /// <summary>Index of the bucket holding the value of 0-based <paramref name="rank"/>, walking indices downwards.</summary>
    public readonly int IndexAtRankDescending(long rank)
    {
        long seen = 0;
        for (int i = _counts.Length - 1; i >= 0; i--)
        {
            seen += SlotCount(i);
            if (seen > rank)
            {
                return _offset + i;
            }
        }

        throw new InvalidOperationException("Rank beyond the store's count.");
    }

    /// <summary>Adds every bucket of <paramref name="other"/> to this store; <paramref name="isSelf"/> when it is this store.</summary>
    public void MergeFrom(in DenseStore other, bool isSelf)
    {
        if (isSelf)
        {
            for (int i = 0; i < _counts.Length; i++)
            {
                long count = SlotCount(i);
                if (count != 0)
                {
                    Increment(_offset + i, count);
                }
            }

            return;
        }

        if (!other.TryGetRange(out int low, out int high))
        {
            return;
        }

        // Highest first: one relayout covers the top, and lower indices then land in place or fold.
        for (int index = high; index >= low; index--)
        {
            long count = other.CountAt(index);
            if (count != 0)
            {
                Increment(index, count);
            }
        }
    }

    /// <summary>True when both stores hold the same count at every index.</summary>
    public readonly bool HasSameBuckets(in DenseStore other)
    {
        bool hasThis = TryGetRange(out int low, out int high);
        bool hasOther = other.TryGetRange(out int otherLow, out int otherHigh);
        if (hasThis != hasOther)
        {
            return false;
        }

        if (!hasThis)
        {
            return true;
        }

        if (low != otherLow || high != otherHigh)
        {
            return false;
        }

        for (int index = low; index <= high; index++)
        {
            if (CountAt(index) != other.CountAt(index))
            {
                return false;
            }
        }

        return true;
    }

    private readonly long SlotCount(int slot) =>
        _high is null ? _counts[slot] : checked((long)((_high[slot] << LowBits) | _counts[slot]));

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Carry(int slot, ulong carry)
    {
        _high ??= new ulong[_counts.Length];

        // The high part holds count >> 16; keeping it below 2^47 keeps the whole count a non-negative long.
        ulong high = checked(_high[slot] + carry);
        if (high >= 1UL << (63 - LowBits))
        {
            throw new OverflowException("A DDSketch bucket count passed long.MaxValue.");
        }

        _high[slot] = high;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void IncrementSlow(int index, long count)
    {
        if (_collapsed && index < _offset)
        {
            // Below the kept range: folded into the lowest kept bucket.
            AddToSlot(0, count);
            return;
        }

        int low = index;
        int high = index;
        if (TryGetRange(out int currentLow, out int currentHigh))
        {
            low = Math.Min(low, currentLow);
            high = Math.Max(high, currentHigh);
        }

        long needed = (long)high - low + 1;
        if (needed > _maxBuckets)
        {
            int keptLow = high - _maxBuckets + 1;
            Relayout(keptLow, _maxBuckets);
            _collapsed = true;
            AddToSlot(Math.Max(index, keptLow) - _offset, count);
            return;
        }

        int capacity = _counts.Length;
        if (needed > capacity)
        {
            // Room for a quarter more than the occupied range, in whole 16-byte lines of 8 counts.
            long grown = Math.Max(InitialCapacity, needed + (needed / 4));
            capacity = (int)Math.Min((grown + 7) & ~7L, _maxBuckets);
        }

        // Centre the range so that growth in either direction has room before the next relayout.
        int slack = capacity - (int)needed;
        Relayout(low - (slack / 2), capacity);
        AddToSlot(index - _offset, count);
    }

    private void AddToSlot(int slot, long count)
    {
        ulong total = _counts[slot] + (ulong)count;
        _counts[slot] = (ushort)total;
        if (total > ushort.MaxValue)
        {
            Carry(slot, total >> LowBits);
        }
    }

    /// <summary>
    /// Moves the buckets into arrays of <paramref name="capacity"/> starting at index <paramref name="newOffset"/>,
    /// folding any non-empty bucket below <paramref name="newOffset"/> into the first slot. Callers guarantee that
    /// nothing non-empty lies above the new range.
    /// </summary>
    private void Relayout(int newOffset, int capacity)
    {
        long oldOffset = _offset;
        long folded = 0;
        for (int i = 0; i < _counts.Length && oldOffset + i < newOffset; i++)
        {
            folded += SlotCount(i);
        }

        long from = Math.Max(oldOffset, newOffset);
        long to = Math.Min(oldOffset + _counts.Length, (long)newOffset + capacity);
        int length = (int)Math.Max(0, to - from);
        int source = (int)(from - oldOffset);
        int destination = (int)(from - newOffset);

        _counts = Move(_counts, capacity, source, destination, length);
        if (_high is not null)
        {
            _high = Move(_high, capacity, source, destination, length);
        }

        _offset = newOffset;
        AddToSlot(0, folded);
    }

    /// <summary>Shifts (same capacity, in place) or copies (new capacity) a slot range, zeroing everything else.</summary>
    private static T[] Move<T>(T[] array, int capacity, int source, int destination, int length)
    {
        if (capacity != array.Length)
        {
            var grown = new T[capacity];
            if (length > 0)
            {
                Array.Copy(array, source, grown, destination, length);
            }

            return grown;
        }

        if (length > 0)
        {
            Array.Copy(array, source, array, destination, length);
            Array.Clear(array, 0, destination);
            Array.Clear(array, destination + length, array.Length - destination - length);
        }
        else
        {
            Array.Clear(array);
        }

        return array;
    }
}
