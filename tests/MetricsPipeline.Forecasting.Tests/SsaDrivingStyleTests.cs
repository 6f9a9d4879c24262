using MetricsPipeline.Forecasting;
using Xunit;

namespace MetricsPipeline.Forecasting.Tests;

public sealed class SsaDrivingStyleTests
{
    private static SsaForecaster Trained(bool variable)
    {
        var options = MlNetPublishedCaseTests.Options();
        options.VariableHorizon = variable;
        return SsaForecaster.Train(options, MlNetPublishedCaseTests.Data());
    }

    [Fact]
    public void WhenTheEngineForecastsALongerHorizonWithoutConsumingThenTheFirstStepsEqualTheTrainedHorizon()
    {
        var model = Trained(variable: true);
        model.Consume(0);
        var (f4, l4, u4) = (new double[4], new double[4], new double[4]);
        var (f6, l6, u6) = (new double[6], new double[6], new double[6]);
        model.Forecast(f4, l4, u4);
        model.Forecast(f6, l6, u6);
        Assert.Equal(f4, f6[..4]);
        Assert.Equal(l4, l6[..4]);
        Assert.Equal(u4, u6[..4]);
        Assert.Equal(1, model.ConsumedCount);
    }

    [Fact]
    public void WhenBatchReplaysFromRowZeroThenEveryRowIsConsumedOnceAndRowZeroMatchesTheReference()
    {
        var data = MlNetPublishedCaseTests.Data();
        var model = Trained(variable: false);
        var f = new double[4];
        var firstRow = new double[4];
        for (int row = 0; row < data.Length; row++)
        {
            model.Consume(data[row]);
            model.Forecast(f);
            if (row == 0)
            {
                f.CopyTo(firstRow, 0);
            }
        }

        Assert.Equal(data.Length, model.ConsumedCount);
        var reference = new ReferenceSsa(data[..22], 10, maxRank: 9, fixedRank: null, stabilize: true, skipPsi1: true);
        reference.Consume(data[0]);
        MlNetPublishedCaseTests.AssertRelative(reference.Forecast(4).Forecast[0], firstRow[0]);
    }

    [Fact]
    public void WhenANaNIsConsumedThenTheStateAndPredictionAreUnchanged()
    {
        var model = Trained(variable: false);
        model.Consume(3);
        var state = model.State.ToArray();
        double next = model.NextPrediction;
        model.Consume(double.NaN);
        Assert.Equal(state, model.State.ToArray());
        Assert.Equal(next, model.NextPrediction);
    }

    [Fact]
    public void WhenConsumingAndForecastingInSteadyStateThenNothingIsAllocated()
    {
        var x = Enumerable.Range(0, 3000).Select(t => 50 + (10 * Math.Sin(2 * Math.PI * t / 48)) + ((t * 31 % 7) / 7.0)).ToArray();
        var model = SsaForecaster.Train(new SsaForecasterOptions { WindowSize = 100, SeriesLength = 101, TrainSize = 2000, Horizon = 12, MaxRank = 20 }, x);

        Assert.Equal(0, SteadyStateAllocations.QuietestRound(model, x, 12));
    }
}
