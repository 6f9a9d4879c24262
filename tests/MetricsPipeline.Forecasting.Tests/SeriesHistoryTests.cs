using MetricsPipeline.Forecasting.Retraining;
using Xunit;

namespace MetricsPipeline.Forecasting.Tests;

public sealed class SeriesHistoryTests
{
    private static List<SeriesHistory> Build(IEnumerable<int> minutes, int minPoints) =>
        SeriesHistory.Build(minutes.Select(m => StreamTestData.Observation(m, m)), _ => TimeSpan.FromMinutes(1), maxGapSteps: 10, minPoints);

    [Fact]
    public void WhenTheLastRunIsLongEnoughThenItIsKept()
    {
        var h = Build(Enumerable.Range(0, 100).Concat(Enumerable.Range(200, 70)), minPoints: 60).Single();
        Assert.Equal(200, h.Values[0]);
        Assert.Equal(70, h.Values.Length);
    }

    [Fact]
    public void WhenTheLastRunIsTooShortThenTheLongestRunIsKept()
    {
        var h = Build(Enumerable.Range(0, 30).Concat(Enumerable.Range(50, 100)).Concat(Enumerable.Range(300, 20)), minPoints: 60).Single();
        Assert.Equal(50, h.Values[0]);
        Assert.Equal(100, h.Values.Length);
    }

    [Fact]
    public void WhenWindowsAreMissingBrieflyThenTheyAreFilledWithTheLastValue()
    {
        var h = Build(Enumerable.Range(0, 10).Concat(Enumerable.Range(15, 10)), minPoints: 0).Single();
        Assert.Equal(25, h.Values.Length);
        Assert.Equal([9, 9, 9, 9, 9, 9, 15], h.Values[9..16]);
    }
}
