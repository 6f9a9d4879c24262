using Xunit;

namespace MetricsPipeline.Host.Tests;

/// <summary>
/// <c>backtest --recalibrate-window</c> below 0 is refused before any work, as the stream's
/// <c>Analytics:Forecasting:RecalibrationWindow</c> and the model's own option are: it used to be read silently as 0
/// (recalibration off), a different model than asked for, with exit code 0.
/// </summary>
public class BacktestRecalibrateWindowTests
{
    [Fact]
    public async Task WhenTheRecalibrationWindowIsNegativeThenBacktestFailsNamingTheOption()
    {
        using var scratch = new CliScratch("backtest-recalibrate");
        string input = scratch.WriteSeries("s.csv", CliSeries.Seasonal(300));

        var run = await scratch.RunAsync("backtest", "--input", input, "--output", scratch.PathOf("out.json"), "--window-size", "10", "--horizon", "2", "--recalibrate-window", "-5");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--recalibrate-window must be at least 0 (0 = off; got -5).", run.StandardError, StringComparison.Ordinal);
        Assert.False(File.Exists(scratch.PathOf("out.json")));
    }
}
