using System.Buffers.Binary;
using CsCheck;
using MetricsPipeline.Analytics.State;
using MetricsPipeline.Testing;
using Xunit;

namespace MetricsPipeline.Analytics.Tests.State;

public sealed class CheckpointCodecTests
{
    private static readonly Gen<PartitionCheckpoint> PartitionGen =
        Gen.Select(Gen.Select(Gen.String[1, 40], Gen.Int[0, 10_000], Gen.Long[-1, long.MaxValue], Gen.Long, Gen.Long, Gen.Long), Gen.Long[-1, long.MaxValue])
            .Select((t, read) => new PartitionCheckpoint(t.Item1, t.Item2, t.Item3, t.Item4, t.Item5, t.Item6, read));

    private static readonly Gen<StageCheckpoint> StagesGen =
        Gen.Select(Gen.Long, Gen.Long, Gen.Dictionary(Gen.String[0, 20], Gen.Byte.Array[0, 300])[0, 6])
            .Select((seq, closed, states) => new StageCheckpoint(seq, closed, states));

    [Fact]
    public void WhenAPartitionRecordIsEncodedThenItDecodesToTheSameRecord() =>
        PartitionGen.Sample(p => Assert.Equal(p, CheckpointCodec.DecodePartition(CheckpointCodec.Encode(p))), iter: PropertyIterations.Scaled(100));

    [Fact]
    public void WhenAStagesRecordIsEncodedThenItDecodesToTheSameStates() =>
        StagesGen.Sample(s =>
        {
            var back = CheckpointCodec.DecodeStages(CheckpointCodec.Encode(s));
            Assert.Equal(s.Sequence, back.Sequence);
            Assert.Equal(s.ClosedThroughNs, back.ClosedThroughNs);
            Assert.Equal(s.States.Count, back.States.Count);
            foreach (var (name, state) in s.States)
            {
                Assert.Equal(state, back.States[name]);
            }
        }, iter: PropertyIterations.Scaled(100));

    [Fact]
    public void WhenAnyByteIsFlippedThenDecodingFailsWithAFormatException() =>
        Gen.Select(PartitionGen, Gen.Int[0, 1000], Gen.Byte[1, 255]).Sample((p, at, flip) =>
        {
            var data = CheckpointCodec.Encode(p);
            data[at % data.Length] ^= flip;
            Assert.Throws<FormatException>(() => CheckpointCodec.DecodePartition(data));
        }, iter: PropertyIterations.Scaled(100));

    [Fact]
    public void WhenTheRecordIsTruncatedOrGarbageThenDecodingFailsWithAFormatException() =>
        Gen.Select(StagesGen, Gen.Int[0, 1000], Gen.Byte.Array[0, 64]).Sample((s, cut, garbage) =>
        {
            var data = CheckpointCodec.Encode(s);
            Assert.Throws<FormatException>(() => CheckpointCodec.DecodeStages(data.AsSpan(0, cut % data.Length)));
            Assert.Throws<FormatException>(() => CheckpointCodec.DecodeStages(garbage));
        }, iter: PropertyIterations.Scaled(100));

    [Fact]
    public void WhenAVersion1PartitionRecordIsDecodedThenItsReadOffsetIsUnknown()
    {
        // A version 1 record is the version 2 layout without the trailing read offset (8 bytes).
        var v2 = CheckpointCodec.Encode(new PartitionCheckpoint("metrics", 3, 42, 7, 1, 2, 99));
        var payloadLength = v2.Length - 11 - 4 - 8;
        var v1 = new byte[11 + payloadLength + 4];
        v2.AsSpan(0, 11 + payloadLength).CopyTo(v1);
        BinaryPrimitives.WriteUInt16LittleEndian(v1.AsSpan(5), 1);
        BinaryPrimitives.WriteInt32LittleEndian(v1.AsSpan(7), payloadLength);
        BinaryPrimitives.WriteUInt32LittleEndian(v1.AsSpan(11 + payloadLength), Crc32(v1.AsSpan(0, 11 + payloadLength)));

        Assert.Equal(new PartitionCheckpoint("metrics", 3, 42, 7, 1, 2, -1), CheckpointCodec.DecodePartition(v1));
        Assert.Equal(99, CheckpointCodec.DecodePartition(v2).ReadOffset);
    }

    [Fact]
    public void WhenTheVersionIsNewerOrTheKindDiffersThenDecodingFails()
    {
        var data = CheckpointCodec.Encode(new PartitionCheckpoint("metrics", 3, 42, 7, 1, 2));
        Assert.Throws<FormatException>(() => CheckpointCodec.DecodeStages(data));
        data[5] = CheckpointCodec.Version + 1;
        var error = Assert.Throws<FormatException>(() => CheckpointCodec.DecodePartition(data));
        Assert.Contains("version", error.Message, StringComparison.Ordinal);
    }

    private static uint Crc32(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
            }
        }

        return ~crc;
    }
}
