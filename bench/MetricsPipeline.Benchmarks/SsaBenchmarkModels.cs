using MetricsPipeline.Forecasting;

namespace MetricsPipeline.Benchmarks;

/// <summary>The series and model settings the SSA measurements share (<see cref="SsaBenchmarks"/>, <see cref="SsaFleetBenchmarks"/>, <see cref="SsaCpuCost"/>).</summary>
internal static class SsaBenchmarkModels
{
    /// <summary>A seasonal (period 48), slightly trending, noisy series of <paramref name="length"/> points.</summary>
    public static double[] Series(int length, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, length).Select(t => 100 + (20 * Math.Sin(2 * Math.PI * t / 48)) + (0.01 * t) + (3 * random.NextDouble())).ToArray();
    }

    /// <summary>The training case: L = 100 on 2 000 points, 12-step forecasts with bounds.</summary>
    public static SsaForecasterOptions Plain(RankSelectionMethod method = RankSelectionMethod.Exact) => new()
    {
        WindowSize = 100, SeriesLength = 101, TrainSize = 2000, Horizon = 12, RankSelectionMethod = method, Rank = 10, MaxRank = 40,
    };

    /// <summary>The fleet case (L = 100 on 2 000 points, rank cap 20), plain or <see cref="WithAllFeatures"/>.</summary>
    public static SsaForecasterOptions Fleet(bool allFeatures)
    {
        var options = new SsaForecasterOptions { WindowSize = 100, SeriesLength = 101, TrainSize = 2000, Horizon = 12, MaxRank = 20 };
        return allFeatures ? WithAllFeatures(options) : options;
    }

    /// <summary>
    /// Switches on, at once, every default-mode feature the auto tuner can choose (the worst case per series): a log
    /// scale, a per-step seasonal-naive combination with a level share, an autoregressive overlay with seasonal lags,
    /// and the stream's online recalibration of the bounds.
    /// </summary>
    public static SsaForecasterOptions WithAllFeatures(SsaForecasterOptions options)
    {
        options.LogOffset = 1;
        options.NaiveStepWeights = [0.6, 0.5, 0.4, 0.3, 0.3, 0.2, 0.2, 0.2, 0.1, 0.1, 0.1, 0.1];
        options.NaiveSeason = 48;
        options.NaiveLevelShare = 0.5;
        options.AutoregressiveOverlayWeights = [0.75, 0.5, 0.5, 0.25];
        options.AutoregressiveOverlaySeason = 48;
        options.RecalibrationWindow = SsaForecasterOptions.DefaultRecalibrationWindow;
        return options;
    }
}
