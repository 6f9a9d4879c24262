using System.Buffers;
using MetricsPipeline.Ingest.Model;
using MetricsPipeline.Sinks.InfluxDb;
using Xunit;

namespace MetricsPipeline.Sinks.Tests.InfluxDb;

public sealed class InfluxDbSerializationTests
{
    private static MetricPoint[] MakePoints(int count) => Enumerable.Range(0, count)
        .Select(i => new MetricPoint("cpu", [new("dc", "eu"), new("host", "h" + (i % 10))], [new("usage", FieldValue.FromDouble(i * 0.5)), new("n", FieldValue.FromInt64(i))], 1_700_000_000_000_000_000 + i))
        .ToArray();

    // The quietest of three runs counts: a per-point allocation shows in every run, while the runtime may now and then
    // allocate a few kilobytes on the test's thread for its own reasons on a loaded machine (the same noise the
    // analytics hot-path tests met in CI).
    private static long Allocated(Action action)
    {
        var quietest = long.MaxValue;
        for (var round = 0; round < 3; round++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            action();
            quietest = Math.Min(quietest, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        return quietest;
    }

    [Fact]
    public void WhenSerializingABatchThenTheWriterAddsNoAllocationPerPointToTheLineProtocolSerializer()
    {
        // LineProtocolWriter (ingest) is measured on its own as the baseline; this checks the sink's share only.
        var points = MakePoints(10_000);
        var output = new ArrayBufferWriter<byte>(4 * 1024 * 1024);
        void Baseline()
        {
            output.ResetWrittenCount();
            foreach (var p in points)
            {
                MetricsPipeline.Ingest.LineProtocol.LineProtocolWriter.Write(p, output);
            }
        }

        void Sink()
        {
            output.ResetWrittenCount();
            InfluxDbWriter.Serialize(points, output, TimestampPrecision.Nanoseconds);
        }

        Baseline();
        Sink();

        var baseline = Allocated(Baseline);
        var sink = Allocated(Sink);

        Assert.True(sink - baseline < 1024, $"serializer alone {baseline} B, through InfluxDbWriter {sink} B for {points.Length} points");
    }

    [Fact]
    public void WhenABatchHoldsUnwritablePointsThenTheyAreSkippedAndTheOthersWritten()
    {
        var good = MakePoints(2);
        var noFields = new MetricPoint("cpu", [], [], 1);
        var nan = new MetricPoint("cpu", [], [new("v", FieldValue.FromDouble(double.PositiveInfinity))], 1);
        var output = new ArrayBufferWriter<byte>();

        var written = InfluxDbWriter.Serialize([good[0], noFields, nan, good[1]], output, TimestampPrecision.Nanoseconds);

        Assert.Equal(2, written);
        Assert.Equal(2, System.Text.Encoding.UTF8.GetString(output.WrittenSpan).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }
}
