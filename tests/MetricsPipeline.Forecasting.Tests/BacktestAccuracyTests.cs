using MetricsPipeline.Forecasting;
using MetricsPipeline.Testing;
using Xunit;

namespace MetricsPipeline.Forecasting.Tests;

public sealed class BacktestAccuracyTests
{
    [Fact]
    public void WhenTheSeriesIsFleetLikeThenSsaBeatsSeasonalNaiveAtOneHourAndBoundsCoverNinetyToNinetyEightPercent()
    {
        // 5-minute aggregates of a 1-minute fleet metric: season 288 points/day, 1 hour = 12 steps.
        var minutes = FleetSeries.Generate(1440 * 12, 7);
        var x = Enumerable.Range(0, minutes.Length / 5).Select(i => minutes.AsSpan(i * 5, 5).ToArray().Average()).ToArray();
        int train = 288 * 7;
        var tuning = SsaAutoTuner.Tune(x.AsSpan(0, train), 12, season: 288);
        var options = new SsaForecasterOptions { WindowSize = tuning.WindowSize, SeriesLength = tuning.WindowSize + 1, TrainSize = train, Horizon = 12, MaxRank = tuning.MaxRank, BoundScale = tuning.BoundScale };
        tuning.ApplyRank(options);
        var report = Backtester.Run(x, options, 288);
        var hour = report.Steps[11];
        TestContext.Current.SendDiagnosticMessage($"fleet: L={report.WindowSize} r={report.Rank} mase={hour.Mase:F3} sn={hour.SeasonalNaiveMase:F3} coverage={hour.Coverage:F3}");
        Assert.True(hour.Mase < 1.0, $"{report}; {tuning}; {hour}");
        Assert.True(hour.Mase < hour.SeasonalNaiveMase, $"MASE {hour.Mase} vs seasonal naive {hour.SeasonalNaiveMase}");
        Assert.InRange(hour.Coverage, 0.90, 0.98);
    }

    [Fact]
    public void WhenAReadTrafficSeriesIsBacktestedThenSsaBeatsBothBaselinesAtOneHour()
    {
        var x = NabDevData.Values("realTraffic", "speed_6005.csv");
        int train = x.Length / 2;
        var tuning = SsaAutoTuner.Tune(x.AsSpan(0, train), 12);
        var options = new SsaForecasterOptions { WindowSize = tuning.WindowSize, SeriesLength = tuning.WindowSize + 1, TrainSize = train, Horizon = 12, MaxRank = tuning.MaxRank, BoundScale = tuning.BoundScale };
        tuning.ApplyRank(options);
        var report = Backtester.Run(x, options, tuning.Season);
        var hour = report.Steps[11];
        Assert.True(hour.Mase < hour.SeasonalNaiveMase && hour.Mase < hour.NaiveMase, $"{hour}");
        Assert.InRange(hour.Coverage, 0.90, 0.98);
    }

    [Fact]
    public void WhenThePeriodicSeriesIsExactThenSsaAndSeasonalNaiveHaveZeroErrorAndNaiveDoesNot()
    {
        var x = Enumerable.Range(0, 300).Select(t => 10 + (5 * Math.Sin(2 * Math.PI * t / 12))).ToArray();
        var options = new SsaForecasterOptions { WindowSize = 24, SeriesLength = 25, TrainSize = 100, Horizon = 3, RankSelectionMethod = RankSelectionMethod.Fixed, Rank = 3 };
        var report = Backtester.Run(x, options, 12);
        Assert.Equal(200, report.Origins);
        Assert.All(report.Steps, s => Assert.True(s.Smape < 1e-6 && s.SeasonalNaiveSmape < 1e-9 && s.NaiveSmape > 1, s.ToString()));
    }

    [Fact]
    public void WhenBoundsAreTooNarrowThenTheCalibrationFactorExceedsOneAndWideningFixesCoverage()
    {
        var rng = new Random(5);
        var x = Enumerable.Range(0, 1500).Select(t => 10 + (5 * Math.Sin(2 * Math.PI * t / 24)) + (t > 600 ? 3 * rng.NextDouble() : 0.3 * rng.NextDouble())).ToArray();
        var options = new SsaForecasterOptions { WindowSize = 49, SeriesLength = 50, TrainSize = 600, Horizon = 4 };
        var narrow = Backtester.Run(x, options, 24);
        Assert.True(narrow.BoundCalibration > 2, $"calibration {narrow.BoundCalibration}");
        Assert.True(narrow.Steps[0].Coverage < 0.9);
        options.BoundScale = narrow.BoundCalibration;
        var wide = Backtester.Run(x, options, 24);
        Assert.InRange(wide.Steps.Average(s => s.Coverage), 0.93, 0.97);
    }
}
