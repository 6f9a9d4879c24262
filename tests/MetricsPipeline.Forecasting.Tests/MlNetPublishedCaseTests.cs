using MetricsPipeline.Forecasting;
using Xunit;

namespace MetricsPipeline.Forecasting.Tests;

/// <summary>
/// ML.NET's own SsaForecast test case (TimeSeriesDirectApi.SsaForecast): five seasons of 0..9, then 0,100,…,900;
/// WindowSize 10, SeriesLength 11, TrainSize 22, Horizon 4, 95%. The expected floats are the ones that test asserts
/// (quoted from the ML.NET test source, not derived here).
/// </summary>
public sealed class MlNetPublishedCaseTests
{
    private static readonly double[] ExpectedForecast = [0.191491723, 2.53994083, 5.26454258, 7.37313938];
    private static readonly double[] ExpectedLower = [-3.9741993, -2.36872721, 0.09407653, 2.18899345];
    private static readonly double[] ExpectedUpper = [4.3571825, 7.448609, 10.435009, 12.5572853];

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

    [Fact]
    public void WhenTheFirstRowIsTransformedThenForecastAndBoundsMatchMlNetWithin1e5Relative()
    {
        var data = Data();
        var model = SsaForecaster.Train(Options(), data);
        model.Consume(data[0]);
        var f = new double[4];
        var lo = new double[4];
        var up = new double[4];
        model.Forecast(f, lo, up);
        for (int i = 0; i < 4; i++)
        {
            AssertRelative(ExpectedForecast[i], f[i]);
            AssertRelative(ExpectedLower[i], lo[i]);
            AssertRelative(ExpectedUpper[i], up[i]);
        }
    }

    [Fact]
    public void WhenTheDefaultModeIsUsedThenTheForecastIsTheSameButTheBoundsIncludePsi1()
    {
        var data = Data();
        var options = Options();
        options.Compatibility = SsaCompatibility.Default;
        var model = SsaForecaster.Train(options, data);
        model.Consume(data[0]);
        var f = new double[4];
        var lo = new double[4];
        var up = new double[4];
        model.Forecast(f, lo, up);
        AssertRelative(ExpectedForecast[0], f[0]);
        AssertRelative(ExpectedUpper[0], up[0]);
        Assert.True(up[1] - lo[1] >= ExpectedUpper[1] - ExpectedLower[1] - 1e-9);
    }

    internal static void AssertRelative(double expected, double actual, double tolerance = 1e-5)
    {
        double scale = Math.Max(Math.Abs(expected), 1e-3);
        Assert.True(Math.Abs(expected - actual) <= tolerance * scale, $"expected {expected:R}, got {actual:R} (relative {Math.Abs(expected - actual) / scale:E2})");
    }
}
