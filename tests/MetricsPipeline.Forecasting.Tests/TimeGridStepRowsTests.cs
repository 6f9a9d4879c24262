using MetricsPipeline.Forecasting;
using Xunit;

namespace MetricsPipeline.Forecasting.Tests;

/// <summary><see cref="TimeGrid.Build"/> with <c>stepRows</c>: the step is the median spacing of the leading rows only.</summary>
public sealed class TimeGridStepRowsTests
{
    private static (DateTimeOffset[] Times, double[] Values) FiveThenOne(int five, int one)
    {
        var times = new DateTimeOffset[five + one];
        var t = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        for (int i = 0; i < times.Length; i++)
        {
            times[i] = t;
            t = t.AddMinutes(i < five ? 5 : 1);
        }

        return (times, [.. Enumerable.Range(0, times.Length).Select(i => (double)i)]);
    }

    [Fact]
    public void WhenStepRowsCoverTheFiveMinuteRowsThenTheStepIsFiveMinutes()
    {
        var (times, values) = FiveThenOne(50, 200);
        Assert.Equal(60, TimeGrid.Build(times, values).StepSeconds);
        var grid = TimeGrid.Build(times, values, stepRows: 50);
        Assert.Equal(300, grid.StepSeconds);
        // The 200 one-minute rows span 199 minutes: slots 50…90, each kept by its first row, the rest dropped.
        Assert.Equal(50 + 41, grid.RealRows);
        Assert.Equal(250 - 91, grid.DroppedRows);
    }

    [Fact]
    public void WhenTheLeadingRowsShareOneTimestampThenBuildSaysSo()
    {
        var t = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        DateTimeOffset[] times = [t, t, t.AddMinutes(5), t.AddMinutes(10)];
        var e = Assert.Throws<ArgumentException>(() => TimeGrid.Build(times, [1, 2, 3, 4], stepRows: 2));
        Assert.Contains("first 2 rows", e.Message, StringComparison.Ordinal);
    }
}
