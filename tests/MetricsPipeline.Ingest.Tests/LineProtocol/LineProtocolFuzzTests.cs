using System.Text;
using CsCheck;
using MetricsPipeline.Ingest.LineProtocol;
using Xunit;

namespace MetricsPipeline.Ingest.Tests.LineProtocol;

/// <summary>
/// No input makes the reader throw. The iteration count defaults to 50,000 per test and can be raised with the
/// LINEPROTOCOL_FUZZ_ITERATIONS environment variable (e.g. 2000000 for a long soak).
/// </summary>
public class LineProtocolFuzzTests
{
    private static readonly long Iterations =
        long.TryParse(Environment.GetEnvironmentVariable("LINEPROTOCOL_FUZZ_ITERATIONS"), out var n) ? n : 50_000;

    private static readonly byte[] Interesting = ",= \"\\\n\r\t#-+.eEiutfTF0195"u8.ToArray();

    private static readonly Gen<byte> AnyByte = Gen.Frequency((1, Gen.Byte), (3, Gen.OneOf(Interesting)));

    private static readonly byte[][] Corpus =
    [
        .. TelegrafSamples.Batch.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(Encoding.UTF8.GetBytes),
        "my\\ meas\\,ure,t\\ k\\=x=v\\,a\\ l\\=ue f\\,i\\=e\\ ld=\"s\\\"t\\\\r\" 1"u8.ToArray(),
        "a s=\"1\n2\n3\",t=\"x\" -5\n# c\n\nb v=1e308,w=-9223372036854775808i,u=18446744073709551615u\r\n"u8.ToArray(),
    ];

    private static readonly LineProtocolLimits Tight = new() { MaxLineBytes = 40, MaxTags = 2, MaxFields = 3, MinTimestampNs = -1000, MaxTimestampNs = 1000, RejectNonFinite = false };

    [Fact]
    public void WhenRandomBytesAreReadThenNoExceptionEscapesAndErrorsPointInsideThePayload()
    {
        Gen.Select(AnyByte.Array[0, 200], Gen.Bool).Sample(
            (bytes, tight) => Exercise(bytes, tight ? Tight : null),
            iter: Iterations);
    }

    [Fact]
    public void WhenValidLinesAreMutatedThenNoExceptionEscapesAndErrorsPointInsideThePayload()
    {
        var mutation = Gen.Select(Gen.Int[0, 3], Gen.Int[0, int.MaxValue], AnyByte);
        Gen.Select(Gen.Int[0, Corpus.Length - 1], mutation.Array[1, 6], Gen.Bool).Sample(
            (index, mutations, tight) => Exercise(Mutate(Corpus[index], mutations), tight ? Tight : null),
            iter: Iterations);
    }

    private static byte[] Mutate(byte[] original, (int Op, int Position, byte Value)[] mutations)
    {
        var bytes = original.ToList();
        foreach (var (op, position, value) in mutations)
        {
            var at = bytes.Count == 0 ? 0 : position % bytes.Count;
            switch (op)
            {
                case 0 when bytes.Count > 0: bytes[at] = value; break;
                case 1: bytes.Insert(at, value); break;
                case 2 when bytes.Count > 0: bytes.RemoveAt(at); break;
                case 3 when bytes.Count > 0: bytes.InsertRange(at, bytes.GetRange(at, Math.Min(8, bytes.Count - at))); break;
            }
        }

        return [.. bytes];
    }

    private static void Exercise(byte[] payload, LineProtocolLimits? limits)
    {
        var reader = new LineProtocolReader(payload, Model.TimestampPrecision.Milliseconds, limits);
        var previousLine = 0;
        while (reader.MoveNext())
        {
            if (reader.IsValid)
            {
                var line = reader.Current;
                Assert.True(line.LineNumber > previousLine);
                previousLine = line.LineNumber;
                Assert.True(line.FieldCount >= 1);
                var tags = 0;
                foreach (var tag in line.Tags)
                {
                    Assert.True(tag.KeyRaw.Length > 0 && tag.ValueRaw.Length > 0);
                    _ = tag.Key + tag.Value;
                    tags++;
                }

                var fields = 0;
                foreach (var field in line.Fields)
                {
                    _ = field.Key;
                    _ = field.TryGetNumber(out _);
                    _ = field.ToFieldValue();
                    fields++;
                }

                Assert.Equal((line.TagCount, line.FieldCount), (tags, fields));
                _ = line.ToMetricPoint();
            }
            else
            {
                var error = reader.Error;
                Assert.True(error.Line > previousLine && error.Column >= 1, error.Describe());
                previousLine = error.Line;
                var (offset, length) = error.RawLine.GetOffsetAndLength(payload.Length);
                Assert.InRange(offset + length, 0, payload.Length);
                Assert.NotEqual("unknown", error.ReasonCode);
                var letter = error.ToDeadLetter(payload, null);
                Assert.Equal(length, letter.Payload.Length);
            }
        }
    }
}
