using System.Numerics;
using MetricsPipeline.Forecasting;
using Xunit;

namespace MetricsPipeline.Forecasting.Tests;

public sealed class StabilizerToleranceTests
{
    [Fact]
    public void WhenTheWindowEqualsThePeriodThenTheDefaultModeForecastsAnExactSineExactly()
    {
        var x = Enumerable.Range(0, 300).Select(i => 10 + Math.Sin(2 * Math.PI * i / 24)).ToArray();
        var options = new SsaForecasterOptions { WindowSize = 24, SeriesLength = 48, TrainSize = 240, Horizon = 6, RankSelectionMethod = RankSelectionMethod.Fixed, Rank = 3 };
        var model = SsaForecaster.Train(options, x.AsSpan(0, 240));
        var forecast = new double[6];
        var lower = new double[6];
        var upper = new double[6];
        model.Forecast(forecast, lower, upper);

        // Before: rounding put the season's roots 2e-15 outside the circle with a period of 24 + 1e-14 > L, so the
        // stabiliser made them a damped trend and the forecast missed by up to 2.3.
        for (int i = 0; i < 6; i++)
        {
            Assert.Equal(x[240 + i], forecast[i], 1e-6);
        }
    }

    [Fact]
    public void WhenRootsSitOnTheCircleUpToRoundingThenOnlyTheExactComparisonMovesThem()
    {
        double w = 2 * Math.PI / 24;
        Complex[] Roots() =>
        [
            new Complex(1 + 4e-15, 0),
            Complex.FromPolarCoordinates(1 + 1.8e-15, w * (1 - 1e-15)),
            Complex.FromPolarCoordinates(1 + 1.8e-15, -w * (1 - 1e-15)),
            new Complex(0.5, 0),
        ];

        var tolerant = Roots();
        RecurrenceStabilizer.Adjust(tolerant, 24, double.PositiveInfinity, RecurrenceStabilizer.DefaultTolerance);
        var before = Roots();
        for (int i = 0; i < before.Length; i++)
        {
            Assert.True(Complex.Abs(tolerant[i] - before[i]) < 1e-12, $"root {i}: {before[i]} became {tolerant[i]}");
        }

        // ML.NET's literal comparisons (MlNet mode): the pair counts as a period longer than the window and is made real.
        var exact = Roots();
        RecurrenceStabilizer.Adjust(exact, 24, double.PositiveInfinity);
        Assert.Equal(0, exact[1].Imaginary);
    }

    [Fact]
    public void WhenARootIsReallyOutsideTheCircleThenTheToleranceStillCapsIt()
    {
        Complex[] roots = [new Complex(1.02, 0), Complex.FromPolarCoordinates(1.01, 0.5), Complex.FromPolarCoordinates(1.01, -0.5)];

        RecurrenceStabilizer.Adjust(roots, 24, 1.0, RecurrenceStabilizer.DefaultTolerance);

        Assert.All(roots, r => Assert.True(r.Magnitude <= 1 + 1e-12, $"{r} not capped"));
    }
}
