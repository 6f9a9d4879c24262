using MetricsPipeline.Forecasting;
using Xunit;

namespace MetricsPipeline.Forecasting.Tests;

public sealed class GridBacktestTests
{
    private static readonly DateTimeOffset Start = new(2015, 7, 10, 14, 0, 0, TimeSpan.Zero);

    /// <summary>Slots 0…15 of 10 minutes; slots 3, 10 and 13 have no row (filled: 13, 19 and 22).</summary>
    private static TimeGrid Tiny()
    {
        int[] slots = [0, 1, 2, 4, 5, 6, 7, 8, 9, 11, 12, 14, 15];
        double[] values = [10, 12, 11, 15, 14, 16, 15, 18, 17, 21, 20, 24, 22];
        return TimeGrid.Build(slots.Select(s => Start.AddMinutes(10 * s)).ToArray(), values);
    }

    [Fact]
    public void WhenTheGridHasFilledSlotsThenOnlyRealSlotsAreOriginsAndTargetsAndTheScaleUsesRealPairsOnly()
    {
        var grid = Tiny();
        Assert.Equal([13.0, 19.0, 22.0], new[] { grid.Values[3], grid.Values[10], grid.Values[13] });
        var options = new SsaForecasterOptions { WindowSize = 3, SeriesLength = 4, TrainSize = 8, Horizon = 2, RankSelectionMethod = RankSelectionMethod.Fixed, Rank = 1 };

        var report = Backtester.Run(grid.Values, options, season: 2, real: grid.Real);

        // Origins: the real slots 7, 8, 9, 11, 12, 14 (10 and 13 are filled).
        Assert.Equal(6, report.Origins);

        // Scale: season-2 pairs of real training slots (2,0) 1, (4,2) 4, (6,4) 1, (7,5) 1; (3,1) and (5,3) touch the
        // filled slot 3. 7 / 4 = 1.75.
        const double scale = 1.75;

        // Step 1, real targets 8, 9, 12, 15 (10 and 13 are filled). Naive = the value at the origin: |18−15| + |17−18| +
        // |20−21| + |22−24| = 7. Seasonal naive (season 2) = the grid one slot before the origin, filled or not: slots 6,
        // 7, 10 (19) and 13 (22): |18−16| + |17−15| + |20−19| + |22−22| = 5.
        var step1 = report.Steps[0];
        Assert.Equal(4, step1.Count);
        Assert.Equal(7.0 / 4 / scale, step1.NaiveMase, 12);
        Assert.Equal(5.0 / 4 / scale, step1.SeasonalNaiveMase, 12);

        // Step 2, real targets 9, 11, 14 (from origins 7, 9, 12; origin 8 → 10 and 11 → 13 are filled, 14 → 16 is past the
        // end). Both baselines are the value at the origin: |17−15| + |21−17| + |24−20| = 10.
        var step2 = report.Steps[1];
        Assert.Equal(3, step2.Count);
        Assert.Equal(10.0 / 3 / scale, step2.NaiveMase, 12);
        Assert.Equal(10.0 / 3 / scale, step2.SeasonalNaiveMase, 12);
        Assert.True(double.IsFinite(step1.Mase) && double.IsFinite(step2.Mase));
    }

    [Fact]
    public void WhenEverySlotIsRealThenTheGridBacktestEqualsTheRowBacktestToTheDigit()
    {
        var random = new Random(5);
        var x = Enumerable.Range(0, 400).Select(i => 50 + (10 * Math.Sin(2 * Math.PI * i / 24)) + random.NextDouble()).ToArray();
        var grid = TimeGrid.Build(Enumerable.Range(0, x.Length).Select(i => Start.AddMinutes(5 * i)).ToArray(), x);
        Assert.Equal(0, grid.FilledSlots);
        var options = new SsaForecasterOptions { WindowSize = 25, SeriesLength = 26, TrainSize = 200, Horizon = 4, RecalibrationWindow = 50 };

        var rows = Backtester.Run(x, options, 24, stride: 3, recalibrationWindow: 40);
        var slots = Backtester.Run(grid.Values, options, 24, stride: 3, recalibrationWindow: 40, real: grid.Real);

        Assert.Equal(rows.Origins, slots.Origins);
        Assert.Equal(rows.Steps, slots.Steps);
        Assert.Equal(rows.BoundCalibration, slots.BoundCalibration);
    }

    [Fact]
    public void WhenAValueAfterAnOriginChangesThenNoForecastMadeAtOrBeforeThatOriginChanges()
    {
        // Drives the model as the grid backtest and the forecast command do: filled slots are consumed when the next
        // real row arrives, forecasts are made at real slots.
        var random = new Random(11);
        var minutes = new List<int>();
        for (int m = 0; minutes.Count < 300; m += 10 * (random.Next(4) == 0 ? 2 : 1))
        {
            minutes.Add(m);
        }

        var times = minutes.Select(m => Start.AddMinutes(m)).ToArray();
        var values = minutes.Select(m => 100 + (20 * Math.Sin(2 * Math.PI * m / 240)) + random.NextDouble()).ToArray();
        const int k = 220;
        var original = Forecasts(times, values, 150);
        var changed = Forecasts(times, values.Select((v, i) => i >= k ? (v * 3) + 40 : v).ToArray(), 150);
        for (int row = 150; row < k; row++)
        {
            Assert.Equal(original[row], changed[row]);
        }

        Assert.NotEqual(original[k], changed[k]);
    }

    private static Dictionary<int, double[]> Forecasts(DateTimeOffset[] times, double[] values, int trainRows)
    {
        var grid = TimeGrid.Build(times, values);
        int train = grid.SlotsThrough(trainRows);
        var options = new SsaForecasterOptions { WindowSize = 25, SeriesLength = 26, TrainSize = train, Horizon = 6, RecalibrationWindow = 30 };
        var model = SsaForecaster.Train(options, grid.Values[..train]);
        var result = new Dictionary<int, double[]>();
        int next = train;
        for (int row = trainRows; row < values.Length; row++)
        {
            for (; next <= grid.SlotOf(row); next++)
            {
                if (grid.Real[next])
                {
                    model.Consume(grid.Values[next]);
                }
                else
                {
                    model.ConsumeFilled(grid.Values[next]);
                }
            }

            var f = new double[6];
            var lo = new double[6];
            var up = new double[6];
            model.Forecast(f, lo, up);
            result[row] = [.. f, .. lo, .. up];
        }

        return result;
    }
}
