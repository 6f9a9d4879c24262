using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace MetricsPipeline.Analytics.Windows;

/// <summary>
/// Maps raw series keys (line protocol's escaped measurement and tag set) to dense series ids, searched straight
/// from the UTF-8 bytes. Replaces a <c>Dictionary&lt;byte[], SeriesState&gt;</c>, whose lookup touched a bucket, an
/// entry, a key array and the series object (four cache misses per point at 100 000 series, measured as most of the
/// parse path's cost) and which held a byte array object per series: here a lookup reads one 8-byte slot of an
/// open-addressing table (hash tag + id) and then the key's bytes, which live in shared 1 MiB chunks (no object per
/// series) and are read in the order series were registered. Not thread-safe.
/// </summary>
internal sealed class SeriesKeyIndex
{
    private const int ChunkBits = 20;
    private const int ChunkSize = 1 << ChunkBits;

    // Slot: 0 = empty, else (upper 32 bits of the hash << 32) | (id + 1). Linear probing, at most half full.
    private ulong[] _slots = new ulong[1024];
    private int _count;

    // Key bytes, appended to chunks; per id where its key starts (chunk << ChunkBits | offset) and its length.
    private readonly List<byte[]> _chunks = [];
    private int _used = ChunkSize;
    private long[] _keyRefs = new long[512];

    // The id found last: agents write their series in the same order at every interval, and ids are handed out in
    // the order series are first seen, so the next line's series is usually the next id. Checking that key first
    // (its bytes follow the previous key's in the chunk) skips the table's random memory access.
    private int _last = -1;

    /// <summary>The number of keys (ids 0 … Count − 1).</summary>
    public int Count => _count;

    /// <summary>The id of <paramref name="key"/>, or −1 when it is not known.</summary>
    public int Find(ReadOnlySpan<byte> key)
    {
        var next = _last + 1;
        if (next < _count && Key(next).SequenceEqual(key))
        {
            _last = next;
            return next;
        }

        var hash = Hash(key);
        var tag = hash & 0xFFFF_FFFF_0000_0000UL;
        var slots = _slots;
        var mask = slots.Length - 1;
        var i = (int)hash & mask;
        while (true)
        {
            var slot = slots[i];
            if (slot == 0)
            {
                return -1;
            }

            if ((slot & 0xFFFF_FFFF_0000_0000UL) == tag)
            {
                var id = (int)(uint)slot - 1;
                if (Key(id).SequenceEqual(key))
                {
                    _last = id;
                    return id;
                }
            }

            i = (i + 1) & mask;
        }
    }

    /// <summary>Adds a key not yet present and returns its id (the next one).</summary>
    public int Add(ReadOnlySpan<byte> key)
    {
        if ((_count + 1) * 2 > _slots.Length)
        {
            Grow();
        }

        var id = _count;
        if (id == _keyRefs.Length)
        {
            Array.Resize(ref _keyRefs, _keyRefs.Length * 2);
        }

        _keyRefs[id] = Store(key);
        _count++;
        Insert(_slots, Hash(key), id);
        _last = id;
        return id;
    }

    /// <summary>The key bytes of <paramref name="id"/>.</summary>
    public ReadOnlySpan<byte> Key(int id)
    {
        var reference = _keyRefs[id];
        var length = (int)(reference >> 40);
        var start = (int)(reference & ((1L << 40) - 1));
        return _chunks[start >> ChunkBits].AsSpan(start & (ChunkSize - 1), length);
    }

    /// <summary>A 64-bit hash of the bytes, eight at a time (series keys are 10–200 bytes).</summary>
    internal static ulong Hash(ReadOnlySpan<byte> key)
    {
        const ulong K = 0x9E37_79B9_7F4A_7C15UL;
        // The length is mixed in before the data, so that a short key's tail cannot cancel it out.
        var h = ((ulong)key.Length + 1) * K;
        h ^= h >> 29;
        ref var b = ref MemoryMarshal.GetReference(key);
        var n = key.Length;
        var i = 0;
        for (; i + 8 <= n; i += 8)
        {
            h = (h ^ Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref b, i))) * K;
            h ^= h >> 29;
        }

        if (i < n)
        {
            ulong tail;
            if (n >= 8)
            {
                // Re-read the last eight bytes (overlapping the previous word) instead of assembling the tail.
                tail = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref b, n - 8));
            }
            else
            {
                tail = 0;
                for (var j = i; j < n; j++)
                {
                    tail = (tail << 8) | Unsafe.Add(ref b, j);
                }
            }

            h = (h ^ tail) * K;
            h ^= h >> 29;
        }

        // MurmurHash3's finaliser: every input bit reaches the low bits (the slot) and the high bits (the tag).
        h ^= h >> 33;
        h *= 0xFF51_AFD7_ED55_8CCDUL;
        h ^= h >> 33;
        h *= 0xC4CE_B9FE_1A85_EC53UL;
        h ^= h >> 33;
        return h;
    }

    private long Store(ReadOnlySpan<byte> key)
    {
        if (_chunks.Count == 0 || _used + key.Length > ChunkSize)
        {
            // Keys are at most a line long (64 KiB by default), so one always fits a fresh chunk; a larger one gets a
            // chunk of its own size at offset 0, and the next key a new chunk (_used then exceeds ChunkSize).
            _chunks.Add(new byte[Math.Max(ChunkSize, key.Length)]);
            _used = 0;
        }

        var start = ((long)(_chunks.Count - 1) << ChunkBits) | (long)_used;
        key.CopyTo(_chunks[^1].AsSpan(_used));
        _used += key.Length;
        return ((long)key.Length << 40) | start;
    }

    private void Grow()
    {
        var slots = new ulong[_slots.Length * 2];
        for (var id = 0; id < _count; id++)
        {
            Insert(slots, Hash(Key(id)), id);
        }

        _slots = slots;
    }

    private static void Insert(ulong[] slots, ulong hash, int id)
    {
        var mask = slots.Length - 1;
        var i = (int)hash & mask;
        while (slots[i] != 0)
        {
            i = (i + 1) & mask;
        }

        slots[i] = (hash & 0xFFFF_FFFF_0000_0000UL) | (uint)(id + 1);
    }
}
