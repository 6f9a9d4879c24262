using System.Buffers.Binary;
using System.Text;

namespace MetricsPipeline.Analytics.State;

/// <summary>
/// The binary checkpoint format. Every record is <c>"MPCK"</c>, a kind byte (1 = partition, 2 = stages), a version
/// (uint16 LE, currently 3; version 1 partition records lack the read offset; stages records before version 3 lack
/// the per-partition keyed state), the payload length (int32 LE), the payload, and a CRC-32 (uint32 LE) of everything
/// before it. Strings are length-prefixed UTF-8 (BinaryWriter's 7-bit length), numbers little-endian. A reader
/// rejects unknown kinds, newer versions, short data and bad CRCs with a <see cref="FormatException"/>. Thread-safe.
/// </summary>
public static class CheckpointCodec
{
    /// <summary>The format version this code writes and the newest it reads.</summary>
    public const ushort Version = 3;

    private const int HeaderLength = 4 + 1 + 2 + 4;
    private const byte PartitionKind = 1;
    private const byte StagesKind = 2;
    private static readonly byte[] Magic = "MPCK"u8.ToArray();

    /// <summary>Encodes a partition record.</summary>
    public static byte[] Encode(PartitionCheckpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        return Frame(PartitionKind, w =>
        {
            w.Write(checkpoint.Topic);
            w.Write(checkpoint.Partition);
            w.Write(checkpoint.NextOffset);
            w.Write(checkpoint.ClosedThroughNs);
            w.Write(checkpoint.Sequence);
            w.Write(checkpoint.CreatedUnixMs);
            w.Write(checkpoint.ReadOffset);
        });
    }

    /// <summary>Encodes the stages' record.</summary>
    public static byte[] Encode(StageCheckpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        return Frame(StagesKind, w =>
        {
            w.Write(checkpoint.Sequence);
            w.Write(checkpoint.ClosedThroughNs);
            WriteStates(w, checkpoint.States);

            // Version 3: the keyed state of each partition's own stage keys, so a takeover restores it.
            var partitions = checkpoint.PartitionStates ?? new Dictionary<(string Topic, int Partition), IReadOnlyDictionary<string, byte[]>>();
            w.Write(partitions.Count);
            foreach (var ((topic, partition), states) in partitions.OrderBy(p => p.Key.Topic, StringComparer.Ordinal).ThenBy(p => p.Key.Partition))
            {
                w.Write(topic);
                w.Write(partition);
                WriteStates(w, states);
            }
        });
    }

    /// <summary>Decodes a partition record; <see cref="FormatException"/> when the data is not one.</summary>
    public static PartitionCheckpoint DecodePartition(ReadOnlySpan<byte> data)
    {
        try
        {
            return ReadPartition(data);
        }
        catch (Exception ex) when (ex is EndOfStreamException or ArgumentException or IOException)
        {
            throw new FormatException("Checkpoint record is malformed: " + ex.Message, ex);
        }
    }

    /// <summary>Decodes a stages record; <see cref="FormatException"/> when the data is not one.</summary>
    public static StageCheckpoint DecodeStages(ReadOnlySpan<byte> data)
    {
        try
        {
            return ReadStages(data);
        }
        catch (Exception ex) when (ex is EndOfStreamException or ArgumentException or IOException)
        {
            throw new FormatException("Checkpoint record is malformed: " + ex.Message, ex);
        }
    }

    private static PartitionCheckpoint ReadPartition(ReadOnlySpan<byte> data)
    {
        using var r = Open(data, PartitionKind);
        var result = new PartitionCheckpoint(r.ReadString(), r.ReadInt32(), r.ReadInt64(), r.ReadInt64(), r.ReadInt64(), r.ReadInt64());
        if (BinaryPrimitives.ReadUInt16LittleEndian(data[5..]) >= 2)
        {
            result = result with { ReadOffset = r.ReadInt64() };
        }

        EnsureConsumed(r);
        return result;
    }

    private static StageCheckpoint ReadStages(ReadOnlySpan<byte> data)
    {
        using var r = Open(data, StagesKind);
        var sequence = r.ReadInt64();
        var closed = r.ReadInt64();
        var states = ReadStates(r);
        Dictionary<(string Topic, int Partition), IReadOnlyDictionary<string, byte[]>>? partitions = null;
        if (BinaryPrimitives.ReadUInt16LittleEndian(data[5..]) >= 3)
        {
            var count = r.ReadInt32();
            if (count < 0 || count > 1 << 20)
            {
                throw new FormatException($"Implausible partition count {count}.");
            }

            partitions = new Dictionary<(string Topic, int Partition), IReadOnlyDictionary<string, byte[]>>(count);
            for (var i = 0; i < count; i++)
            {
                var topic = r.ReadString();
                var partition = r.ReadInt32();
                partitions[(topic, partition)] = ReadStates(r);
            }
        }

        EnsureConsumed(r);
        return new StageCheckpoint(sequence, closed, states, partitions);
    }

    private static void WriteStates(BinaryWriter w, IReadOnlyDictionary<string, byte[]> states)
    {
        w.Write(states.Count);
        foreach (var (name, state) in states.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            w.Write(name);
            w.Write(state.Length);
            w.Write(state);
        }
    }

    private static Dictionary<string, byte[]> ReadStates(BinaryReader r)
    {
        var count = r.ReadInt32();
        if (count < 0 || count > 1024)
        {
            throw new FormatException($"Implausible stage count {count}.");
        }

        var states = new Dictionary<string, byte[]>(count, StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            var name = r.ReadString();
            var length = r.ReadInt32();
            if (length < 0 || length > r.BaseStream.Length - r.BaseStream.Position)
            {
                throw new FormatException($"Stage state '{name}' claims {length} bytes, more than the record holds.");
            }

            states[name] = r.ReadBytes(length);
        }

        return states;
    }

    private static byte[] Frame(byte kind, Action<BinaryWriter> body)
    {
        using var payload = new MemoryStream();
        using (var w = new BinaryWriter(payload, Encoding.UTF8, leaveOpen: true))
        {
            body(w);
        }

        var length = (int)payload.Length;
        var result = new byte[HeaderLength + length + 4];
        Magic.CopyTo(result, 0);
        result[4] = kind;
        BinaryPrimitives.WriteUInt16LittleEndian(result.AsSpan(5), Version);
        BinaryPrimitives.WriteInt32LittleEndian(result.AsSpan(7), length);
        payload.GetBuffer().AsSpan(0, length).CopyTo(result.AsSpan(HeaderLength));
        BinaryPrimitives.WriteUInt32LittleEndian(result.AsSpan(HeaderLength + length), Crc32.Compute(result.AsSpan(0, HeaderLength + length)));
        return result;
    }

    private static BinaryReader Open(ReadOnlySpan<byte> data, byte kind)
    {
        if (data.Length < HeaderLength + 4 || !data[..4].SequenceEqual(Magic))
        {
            throw new FormatException("Not a checkpoint record (bad magic or too short).");
        }

        if (data[4] != kind)
        {
            throw new FormatException($"Checkpoint record of kind {data[4]}, expected {kind}.");
        }

        var version = BinaryPrimitives.ReadUInt16LittleEndian(data[5..]);
        if (version == 0 || version > Version)
        {
            throw new FormatException($"Checkpoint format version {version} is not supported (this build reads up to {Version}).");
        }

        var length = BinaryPrimitives.ReadInt32LittleEndian(data[7..]);
        if (length < 0 || length != data.Length - HeaderLength - 4)
        {
            throw new FormatException("Checkpoint record length does not match its header (truncated?).");
        }

        var expected = BinaryPrimitives.ReadUInt32LittleEndian(data[(HeaderLength + length)..]);
        if (Crc32.Compute(data[..(HeaderLength + length)]) != expected)
        {
            throw new FormatException("Checkpoint record CRC mismatch (corrupted).");
        }

        return new BinaryReader(new MemoryStream(data.Slice(HeaderLength, length).ToArray(), writable: false), Encoding.UTF8);
    }

    private static void EnsureConsumed(BinaryReader reader)
    {
        if (reader.BaseStream.Position != reader.BaseStream.Length)
        {
            throw new FormatException("Checkpoint record has trailing bytes.");
        }
    }
}
