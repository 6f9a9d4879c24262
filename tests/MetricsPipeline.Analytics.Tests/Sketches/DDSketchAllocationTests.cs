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

        long allocated = 0;
        for (int round = 0; round < 5; round++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            sketch.Clear();
            Fill(sketch, values);
            _ = sketch.GetQuantile(0.99);
            _ = sketch.GetQuantile(0.5);
            allocated += GC.GetAllocatedBytesForCurrentThread() - before;
        }

        Assert.Equal(0, allocated);
        Assert.Equal(values.Length, sketch.Count);
    }

    [Fact]
    public void WhenSketchesAreMergedIntoAGrownSketchThenNothingIsAllocated()
    {
        var target = SketchData.Sketch(SketchData.Make(shape: 0, n: 5000, seed: 3, location: 2, scale: 1));
        var source = SketchData.Sketch(SketchData.Make(shape: 0, n: 500, seed: 4, location: 2, scale: 0.5));
        target.Merge(source);

        long before = GC.GetAllocatedBytesForCurrentThread();
        target.Merge(source);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
    }

    private static void Fill(DDSketch sketch, double[] values)
    {
        foreach (double v in values)
        {
            sketch.Add(v);
        }
    }
}
