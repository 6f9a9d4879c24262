using MetricsPipeline.Forecasting;
using Xunit;

namespace MetricsPipeline.Forecasting.Tests;

public sealed class TimeGridTests
{
    private static readonly DateTimeOffset Start = new(2015, 7, 10, 14, 0, 0, TimeSpan.Zero);

    private static DateTimeOffset[] Minutes(params double[] minutes) => minutes.Select(m => Start.AddMinutes(m)).ToArray();

    [Fact]
    public void WhenRowsHaveAGapADuplicateAndJitterThenEachGoesToItsNearestSlotAndTheGapsAreInterpolated()
    {
        // Spacings 10,10,10,20,10,0,10,11,8,11,30: the median of the positive ones is 10 minutes. 81 and 89 minutes are
        // jitter (slots 8 and 9); 60 is duplicated (the first row, 7, holds the slot; 9 is dropped); 40, 110 and 120 have no row.
        var times = Minutes(0, 10, 20, 30, 50, 60, 60, 70, 81, 89, 100, 130);
        double[] values = [1, 2, 3, 4, 6, 7, 9, 8, 9, 10, 11, 14];

        var grid = TimeGrid.Build(times, values);

        Assert.Equal(600, grid.StepSeconds);
        Assert.Equal(14, grid.Slots);
        Assert.Equal(11, grid.RealRows);
        Assert.Equal(3, grid.FilledSlots);
        Assert.Equal(1, grid.DroppedRows);
        Assert.Equal([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14], grid.Values.ToArray());
        bool[] real = [.. Enumerable.Range(0, 14).Select(k => k is not (4 or 11 or 12))];
        Assert.Equal(real, grid.Real.ToArray());
        Assert.Equal([0, 1, 2, 3, 5, 6, 6, 7, 8, 9, 10, 13], Enumerable.Range(0, 12).Select(grid.SlotOf).ToArray());
        Assert.Equal(11, grid.SlotsThrough(11));
        Assert.True(double.IsNaN(grid.RealValues()[11]));
        Assert.Equal(11, grid.RealValues()[10]);
    }

    [Fact]
    public void WhenARowHasNoValueThenItsSlotIsFilledAndNotReal()
    {
        var grid = TimeGrid.Build(Minutes(0, 5, 10, 15), [1, double.NaN, 3, 4]);

        Assert.Equal(4, grid.Slots);
        Assert.Equal(3, grid.RealRows);
        Assert.Equal(0, grid.DroppedRows);
        Assert.False(grid.Real[1]);
        Assert.Equal(2, grid.Values[1]);
    }

    [Fact]
    public void WhenALaterRowChangesThenNoSlotUpToTheRowBeforeItChanges()
    {
        // Causality of the fill: the slots between row k − 1 and row k depend on row k, the slots up to row k − 1 do not.
        var times = Minutes(0, 10, 30, 40, 70, 80, 90);
        double[] values = [5, 6, 8, 7, 10, 9, 11];
        var original = TimeGrid.Build(times, values);
        for (int k = 1; k < values.Length; k++)
        {
            var changed = values.Select((v, i) => i >= k ? (v * 3) + 40 : v).ToArray();
            var grid = TimeGrid.Build(times, changed);
            int through = grid.SlotOf(k - 1);
            Assert.Equal(original.Values[..(through + 1)].ToArray(), grid.Values[..(through + 1)].ToArray());
            Assert.NotEqual(original.Values[through + 1], grid.Values[through + 1]);
        }
    }

    [Fact]
    public void WhenTheTimestampsDecreaseOrAGapIsAbsurdOrAllAreEqualThenBuildFailsSayingWhy()
    {
        var decreasing = Assert.Throws<ArgumentException>(() => TimeGrid.Build(Minutes(0, 10, 5), [1, 2, 3]));
        Assert.Contains("decrease at row 2", decreasing.Message, StringComparison.Ordinal);

        // Three 5-minute rows, then one a year later: 105 121 slots for 4 rows.
        var absurd = Assert.Throws<ArgumentException>(() => TimeGrid.Build(Minutes(0, 5, 10, 365 * 24 * 60), [1, 2, 3, 4]));
        Assert.Contains("more than 16 per row", absurd.Message, StringComparison.Ordinal);

        var equal = Assert.Throws<ArgumentException>(() => TimeGrid.Build(Minutes(0, 0), [1, 2]));
        Assert.Contains("two distinct timestamps", equal.Message, StringComparison.Ordinal);
    }
}
