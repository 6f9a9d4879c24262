using System.Text;
using MetricsPipeline.Analytics.Pipeline;
using MetricsPipeline.Analytics.Telemetry;
using MetricsPipeline.Analytics.Windows;
using MetricsPipeline.Ingest.Model;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace MetricsPipeline.Analytics.Tests.Windows;

public class HotPathAllocationTests
{
    private const long S = 1_000_000_000L;
    private static readonly long T0 = 1_700_000_000L * S;

    [Fact]
    public void WhenPreParsedPointsFeedWarmWindowsThenNoBytesAreAllocatedPerPoint()
    {
        var agg = new WindowAggregator(new WindowOptions(), new PipelineCounters(), new FakeTimeProvider());
        const int Series = 1000;
        var ids = new int[Series];
        for (var i = 0; i < Series; i++)
        {
            ids[i] = agg.RegisterSeries("lat", [new("host", $"h{i}")]);
            Assert.Equal(0, agg.RegisterField(ids[i], "ms"));
        }

        var random = new Random(3);
        var batch = new AggregationPoint[Series];
        void Round(long t, double? fixedValue = null)
        {
            for (var i = 0; i < Series; i++)
            {
                batch[i] = new AggregationPoint(ids[i], 0, t + i, fixedValue ?? 1 + (random.NextDouble() * 500));
            }

            agg.ProcessPoints(batch);
        }

        // Warm-up: every series opens its windows, the sketches grow to the data's range (its extremes first), the
        // code is jitted.
        // More values than the exact small buffer holds, so the DDSketch path is warm and measured too.
        Round(T0, 1);
        Round(T0 + 1_000_000, 501);
        for (var t = 2; t < 40; t++)
        {
            Round(T0 + (t * 1_000_000L));
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var repeat = 0; repeat < 50; repeat++)
        {
            Round(T0 + (5 * S) + (repeat * 1_000_000L));
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
        Assert.Equal(90L * Series * 2, agg.Counters.ValuesAggregated);
    }

    [Fact]
    public void WhenLineProtocolFeedsWarmWindowsThenNoBytesAreAllocatedPerPoint()
    {
        var agg = new WindowAggregator(new WindowOptions(), new PipelineCounters(), new FakeTimeProvider());
        var letters = new List<DeadLetter>();
        byte[] Message(long t)
        {
            var sb = new StringBuilder();
            for (var i = 0; i < 200; i++)
            {
                sb.Append(System.FormattableString.Invariant($"lat,host=h{i} ms={(i % 37) + 1.5},n={i}i {t + i}\n"));
            }

            return Encoding.UTF8.GetBytes(sb.ToString());
        }

        var payloads = Enumerable.Range(0, 60).Select(r => Message(T0 + (r * 100_000_000L))).ToArray();
        // Warm past the 16-value small buffer so the sketches exist before measuring.
        for (var r = 0; r < 20; r++)
        {
            agg.Process(new SourceMessage("m", 0, r, payloads[r]), letters);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var r = 20; r < 60; r++)
        {
            agg.Process(new SourceMessage("m", 0, r, payloads[r]), letters);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Empty(letters);
        // The offset tracker's queue may double once while 50 more messages are pending; nothing grows per point.
        Assert.InRange(allocated, 0, 4096);
        Assert.Equal(60L * 200, agg.Counters.PointsReceived);
    }
}
