using MetricsPipeline.Analytics.Sketches;
using Xunit;

namespace MetricsPipeline.Analytics.Tests.Sketches;

public sealed class DDSketchAllocationTests
{
    [Fact]
    public void WhenASketchIsClearedAndRefilledThenNothingIsAllocated()
    {
        double[] values = SketchData.Make(shape: 3, n: 20_000, seed: 11, location: 0, scale: 1);
        var sketch = new DDSketch();
        Fill(sketch, values);

        // The quietest of five rounds counts: an allocation per value or per refill shows in every round, while the
        // runtime may now and then allocate a few kilobytes on the test's thread for its own reasons (tiering, type
        // loading: seen in CI on a loaded machine in the hot-path allocation tests).
        var rounds = new long[5];
        for (int round = 0; round < rounds.Length; round++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            sketch.Clear();
            Fill(sketch, values);
            _ = sketch.GetQuantile(0.99);
            _ = sketch.GetQuantile(0.5);
            rounds[round] = GC.GetAllocatedBytesForCurrentThread() - before;
        }

        Assert.Equal(0, rounds.Min());
        Assert.Equal(values.Length, sketch.Count);
    }

    [Fact]
    public void WhenSketchesAreMergedIntoAGrownSketchThenNothingIsAllocated()
    {
        var target = SketchData.Sketch(SketchData.Make(shape: 0, n: 5000, seed: 3, location: 2, scale: 1));
        var source = SketchData.Sketch(SketchData.Make(shape: 0, n: 500, seed: 4, location: 2, scale: 0.5));
        target.Merge(source);

        // The quietest of three merges counts: an allocating merge allocates in every one, while the runtime may now
        // and then allocate a few kilobytes on the test's thread for its own reasons.
        var merges = new long[3];
        for (int merge = 0; merge < merges.Length; merge++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            target.Merge(source);
            merges[merge] = GC.GetAllocatedBytesForCurrentThread() - before;
        }

        Assert.Equal(0, merges.Min());
        Assert.Equal(5000 + (4 * 500), target.Count);
    }

    private static void Fill(DDSketch sketch, double[] values)
    {
        foreach (double v in values)
        {
            sketch.Add(v);
        }
    }
}
