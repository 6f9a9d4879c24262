using MetricsPipeline.Analytics.Windows;
using Xunit;

namespace MetricsPipeline.Analytics.Tests.Windows;

public class OpenWindowListTests
{
    private static List<long> Starts(SeriesState series)
    {
        var starts = new List<long>();
        for (var w = series.Open[0]; w is not null; w = w.Next)
        {
            starts.Add(w.StartNs);
            Assert.Same(w, w.Next?.Prev ?? w); // every link is mirrored by its Prev
        }

        return starts;
    }

    private static OpenWindow Window(long start) => new(exact: true) { StartNs = start, Resolution = 0 };

    [Fact]
    public void WhenWindowsOpenOutOfOrderThenTheListStaysNewestFirstAndRemovalsUnlinkAnywhere()
    {
        var series = new SeriesState(0, "m", [], resolutions: 1);
        var windows = new[] { 30L, 10, 50, 20, 40 }.Select(Window).ToArray();
        foreach (var w in windows)
        {
            series.AddOpen(w);
        }

        Assert.Equal([50L, 40, 30, 20, 10], Starts(series));
        series.RemoveOpen(windows[1]); // the oldest (tail)
        series.RemoveOpen(windows[2]); // the newest (head)
        series.RemoveOpen(windows[0]); // the middle
        Assert.Equal([40L, 20], Starts(series));
        series.RemoveOpen(windows[0]); // not in the list any more: no-op
        Assert.Equal([40L, 20], Starts(series));
        Assert.Null(series.Open[0]!.Prev);
    }

    [Fact]
    public void WhenABackfillHoldsManyWindowsOpenThenFindingTheCurrentWindowDoesNotWalkTheList()
    {
        // 10 days of 10 s windows held open (the watermark waiting), as a backfill does: in-order data must stay O(1)
        // per window, or this takes minutes (a walk of all open windows per new window is quadratic).
        // Only the adds are timed: building the 86,400 windows (their value buffers) took 0.5-0.9 s of the 5 s bound
        // on a loaded machine (load 30), while the in-order adds alone take milliseconds and a quadratic walk
        // (3.7e9 pointer-chasing steps over megabytes of windows) takes far longer than 5 s.
        var series = new SeriesState(0, "m", [], resolutions: 1);
        var windows = new OpenWindow[86_400];
        for (long i = 0; i < windows.Length; i++)
        {
            windows[i] = Window(i * 10);
        }

        var sw = System.Diagnostics.Stopwatch.StartNew();
        foreach (var window in windows)
        {
            series.AddOpen(window);
        }

        sw.Stop();
        TestContext.Current.TestOutputHelper?.WriteLine($"86,400 in-order adds: {sw.Elapsed.TotalMilliseconds:F1} ms");
        Assert.Equal(863_990, series.Open[0]!.StartNs);
        Assert.Equal(windows[^2], series.Open[0]!.Next);
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(5), $"adding 86,400 in-order windows took {sw.Elapsed}");
    }
}
