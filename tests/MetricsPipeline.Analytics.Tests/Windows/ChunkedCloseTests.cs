using System.Text;
using MetricsPipeline.Analytics.Pipeline;
using MetricsPipeline.Analytics.Telemetry;
using MetricsPipeline.Analytics.Windows;
using MetricsPipeline.Ingest.Model;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace MetricsPipeline.Analytics.Tests.Windows;

public sealed class ChunkedCloseTests
{
    private const long S = 1_000_000_000L;
    private static readonly long T0 = 1_700_000_000L * S;

    private static WindowAggregator Create(int maxWindows) =>
        new(
            new WindowOptions { Sizes = [TimeSpan.FromSeconds(10)], Grace = TimeSpan.Zero, MaxWindowsPerBatch = maxWindows },
            new PipelineCounters(),
            new FakeTimeProvider());

    private static SourceMessage Message(long offset, string lines) => new("metrics", 0, offset, Encoding.UTF8.GetBytes(lines));

    private static string Lines(int series, long timestampNs)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < series; i++)
        {
            sb.Append($"m,host=h{i} v={i} {timestampNs}\n");
        }

        return sb.ToString();
    }

    [Fact]
    public void WhenMoreWindowsCloseThanTheChunkSizeThenTheyArriveInChunksAndOnlyTheLastCarriesCommitsAndTheNewMark()
    {
        var agg = Create(maxWindows: 4);
        var letters = new List<DeadLetter>();
        agg.Process(Message(0, Lines(10, T0)), letters);
        agg.Process(Message(1, $"m,host=h0 v=1 {T0 + (10 * S)}\n"), letters);

        var batches = new List<AggregateBatch> { agg.Advance() };
        while (agg.HasPendingWindows)
        {
            batches.Add(agg.Advance());
            Assert.True(batches.Count < 10, "the chunked close did not finish");
        }

        Assert.Equal([4, 4, 2], batches.Select(b => b.Windows.Count));
        Assert.Equal(10, batches.SelectMany(b => b.Windows).Select(w => w.Tags.Single().Value).Distinct().Count());
        Assert.All(batches.SelectMany(b => b.Windows), w => Assert.Equal(T0, w.StartNs));
        Assert.Empty(batches[0].Commits);
        Assert.Empty(batches[1].Commits);
        Assert.Equal([1L], batches[2].Commits.Select(c => c.NextOffset));
        Assert.True(batches[0].ClosedThroughNs < T0 + (10 * S));
        Assert.True(batches[1].ClosedThroughNs < T0 + (10 * S));
        Assert.Equal(T0 + (10 * S), batches[2].ClosedThroughNs);
        Assert.Equal(10, agg.Counters.WindowsClosed);
    }

    [Fact]
    public void WhenAPointForAWindowStillQueuedArrivesBetweenChunksThenItIsLateAndTheWindowIsEmittedOnce()
    {
        var agg = Create(maxWindows: 3);
        var letters = new List<DeadLetter>();
        agg.Process(Message(0, Lines(6, T0)), letters);
        agg.Process(Message(1, $"m,host=h0 v=1 {T0 + (10 * S)}\n"), letters);
        var first = agg.Advance();
        Assert.True(agg.HasPendingWindows);

        // Every series of the closed range is cut off at once, whether or not its window was emitted yet.
        agg.Process(Message(2, Lines(6, T0 + (5 * S))), letters);
        var second = agg.Advance();

        Assert.False(agg.HasPendingWindows);
        var all = first.Windows.Concat(second.Windows).ToList();
        Assert.Equal(6, all.Count);
        Assert.All(all, w => Assert.Equal(1, w.Fields.Single().Count));
        Assert.Equal(6, agg.Counters.LatePoints);
    }
}
