using MetricsPipeline.Forecasting;
using Xunit;

namespace MetricsPipeline.Forecasting.Tests;

/// <summary>
/// The data and settings of ML.NET's own SsaForecast test (TimeSeriesDirectApi.SsaForecast): five seasons of 0..9, then
/// 0,100,…,900; WindowSize 10, SeriesLength 11, TrainSize 22, Horizon 4, 95 %. ML.NET's asserted floats are not
/// available here, so the expected values are computed by <see cref="ReferenceSsa"/> (the reference description in
/// dense double precision, ψ₁ skipped as ML.NET does) and the MlNet-mode model (float32 storage) must agree within
/// 1e-5 relative on every row of the batch replay and in the prediction-engine style (relative to max(|expected|, 1),
/// and in the replay to the largest |x| in the lag window once the 0…900 rows arrive).
/// </summary>
public sealed class MlNetPublishedCaseTests
{
    internal static double[] Data()
    {
        var data = new List<double>();
        for (int j = 0; j < 5; j++)
        {
            for (int i = 0; i < 10; i++)
            {
                data.Add(i);
            }
        }

        for (int i = 0; i < 10; i++)
        {
            data.Add(i * 100);
        }

        return [.. data];
    }

    internal static SsaForecasterOptions Options() => new()
    {
        WindowSize = 10, SeriesLength = 11, TrainSize = 22, Horizon = 4, ConfidenceLevel = 0.95f, IsAdaptive = true,
        Compatibility = SsaCompatibility.MlNet,
    };

    private static ReferenceSsa Reference(bool skipPsi1) => new(Data()[..22], 10, maxRank: 9, fixedRank: null, stabilize: true, skipPsi1);

    [Fact]
    public void WhenBatchTransformReplaysEveryRowThenForecastAndBoundsMatchTheReferenceWithin1e5Relative()
    {
        var data = Data();
        var model = SsaForecaster.Train(Options(), data);
        var reference = Reference(skipPsi1: true);
        Assert.Equal(reference.Rank, model.Rank);
        int compared = ReferenceParityTests.CompareRun(model, reference, data, 4, 1e-5, floor: 1, operandScale: true);
        Assert.Equal(60 * 4 * 3, compared);
    }

    [Fact]
    public void WhenTheEngineForecastsWithoutConsumingThenALongerHorizonMatchesTheReference()
    {
        var options = Options();
        options.VariableHorizon = true;
        var model = SsaForecaster.Train(options, Data());
        var reference = Reference(skipPsi1: true);
        var (f, lo, up) = (new double[7], new double[7], new double[7]);
        model.Forecast(f, lo, up);
        var (ef, elo, eup) = reference.Forecast(7);
        for (int i = 0; i < 7; i++)
        {
            AssertRelative(ef[i], f[i], floor: 1);
            AssertRelative(elo[i], lo[i], floor: 1);
            AssertRelative(eup[i], up[i], floor: 1);
        }
    }

    [Fact]
    public void WhenTheDefaultModeIsUsedThenTheForecastIsTheSameButTheBoundsIncludePsi1()
    {
        var data = Data();
        var options = Options();
        options.Compatibility = SsaCompatibility.Default;
        var model = SsaForecaster.Train(options, data);
        var textbook = Reference(skipPsi1: false);
        var mlnet = Reference(skipPsi1: true);
        model.Consume(data[0]);
        textbook.Consume(data[0]);
        mlnet.Consume(data[0]);
        var (f, lo, up) = (new double[4], new double[4], new double[4]);
        model.Forecast(f, lo, up);
        var (ef, elo, eup) = textbook.Forecast(4);
        var narrow = mlnet.Forecast(4);
        for (int i = 0; i < 4; i++)
        {
            AssertRelative(ef[i], f[i]);
            AssertRelative(elo[i], lo[i]);
            AssertRelative(eup[i], up[i]);
        }

        Assert.True(up[1] - lo[1] > narrow.Upper[1] - narrow.Lower[1]);
    }

    /// <summary>
    /// |expected − actual| ≤ tolerance × max(|expected|, <paramref name="floor"/>). The float32 MlNet comparisons pass
    /// floor 1 (the data's unit): a bound such as 5.26 − 5.17 = 0.094 cancels to a small number whose float32 error
    /// (~2e-6 absolute) is not small relative to itself.
    /// </summary>
    internal static void AssertRelative(double expected, double actual, double tolerance = 1e-5, double floor = 1e-3)
    {
        double scale = Math.Max(Math.Abs(expected), floor);
        Assert.True(Math.Abs(expected - actual) <= tolerance * scale, $"expected {expected:R}, got {actual:R} (relative {Math.Abs(expected - actual) / scale:E2})");
    }
}
