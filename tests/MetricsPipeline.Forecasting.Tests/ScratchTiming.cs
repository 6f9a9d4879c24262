using System.Diagnostics;
using MathNet.Numerics.LinearAlgebra;
using MetricsPipeline.Forecasting;
using Xunit;

namespace MetricsPipeline.Forecasting.Tests;

public sealed class ScratchTiming
{
    [Fact]
    public void Time()
    {
        var rng = new Random(1);
        var x = Enumerable.Range(0, 2000).Select(t => 100 + (20 * Math.Sin(2 * Math.PI * t / 48)) + (0.01 * t) + (3 * rng.NextDouble())).ToArray();
        for (int rep = 0; rep < 3; rep++)
        {
            var sw = Stopwatch.StartNew();
            var c = Matrix<double>.Build.Dense(100, 100, (i, j) => x[i] * x[j] + (i == j ? 1 : 0));
            var e = c.Evd(Symmetricity.Symmetric);
            var t1 = sw.Elapsed.TotalMilliseconds;
            sw.Restart();
            var comp = Matrix<double>.Build.Dense(99, 99, (i, j) => i == j + 1 ? 1 : (j == 98 ? rng.NextDouble() * 0.01 : 0));
            var e2 = comp.Evd(Symmetricity.Asymmetric);
            var t2 = sw.Elapsed.TotalMilliseconds;
            sw.Restart();
            var m = SsaForecaster.Train(new SsaForecasterOptions { WindowSize = 100, SeriesLength = 101, TrainSize = 2000, RankSelectionMethod = RankSelectionMethod.Fixed, Rank = 10, ShouldStabilize = false }, x);
            var t3 = sw.Elapsed.TotalMilliseconds;
            sw.Restart();
            m = SsaForecaster.Train(new SsaForecasterOptions { WindowSize = 100, SeriesLength = 101, TrainSize = 2000, RankSelectionMethod = RankSelectionMethod.Exact, MaxRank = 40, ShouldStabilize = false }, x);
            var t4 = sw.Elapsed.TotalMilliseconds;
            Console.Error.WriteLine($"symEvd {t1:F2} asymEvd {t2:F2} fixedNoStab {t3:F2} exactNoStab {t4:F2} rank {m.Rank}");
        }
    }
}
