using MetricsPipeline.Analytics.Sketches;
using MetricsPipeline.Analytics.Windows;
using Xunit;

namespace MetricsPipeline.Analytics.Tests.Windows;

public class SlidingWindowStoreTests
{
    private const long Minute = 60_000_000_000L;
    private static readonly long T0 = 28_333_333L * Minute;

    private static WindowResult MinuteWindow(int minute, params double[] values)
    {
        var sketch = new DDSketch();
        sketch.Add(values);
        var mean = values.Average();
        var stats = new WindowFieldStats("ms", values.Length, values.Sum(), values.Min(), values.Max(), [])
        {
            M2 = values.Sum(v => (v - mean) * (v - mean)),
            FirstNs = T0 + (minute * Minute),
            First = values[0],
            LastNs = T0 + (minute * Minute) + 1,
            Last = values[^1],
            Sketch = sketch,
        };
        return new WindowResult(7, "lat", [], TimeSpan.FromMinutes(1), T0 + (minute * Minute), [stats]);
    }

    [Fact]
    public void WhenTheLastFiveMinutesAreQueriedThenExactlyTheNewestFiveMinuteWindowsAreMerged()
    {
        var store = new SlidingWindowStore(new SlidingWindowOptions());
        for (var m = 0; m < 10; m++)
        {
            store.Add([MinuteWindow(m, m * 10, (m * 10) + 1)]);
        }

        var last5 = store.Get(7, "ms", TimeSpan.FromMinutes(5));

        Assert.NotNull(last5);
        Assert.Equal(5, last5.Windows);
        Assert.Equal(10, last5.Count);
        Assert.Equal(50, last5.Stats.Min);
        Assert.Equal(91, last5.Stats.Max);
        Assert.Equal(Enumerable.Range(5, 5).Sum(m => (m * 20) + 1) / 10.0, last5.Mean, 9);
        Assert.InRange(last5.Quantile(0.5), 70 * 0.99, 70 * 1.01);
        Assert.Equal(T0 + (10 * Minute), last5.ToNs);
        Assert.Null(store.Get(8, "ms", TimeSpan.FromMinutes(5)));
    }

    [Fact]
    public void WhenWindowsAgeBeyondTheHorizonOrAreCorrectedThenQueriesNoLongerSeeTheOldVersions()
    {
        var store = new SlidingWindowStore(new SlidingWindowOptions { Horizon = TimeSpan.FromMinutes(3) });
        for (var m = 0; m < 6; m++)
        {
            store.Add([MinuteWindow(m, 1)]);
        }

        Assert.Equal(3, store.Get(7, "ms", TimeSpan.FromHours(1))!.Windows);
        store.Add([MinuteWindow(5, 1, 2, 3) with { Revision = 1 }]);
        Assert.Equal(5, store.Get(7, "ms", TimeSpan.FromMinutes(3))!.Count);
    }
}
