using Xunit;

namespace MetricsPipeline.Host.Tests;

/// <summary><c>forecast</c> in engine mode with every row used for training: nothing is consumed after it.</summary>
public class ForecastNothingAfterTrainingTests
{
    [Fact]
    public async Task WhenTheTrainingTakesEveryRowThenForecastSaysTheOutputHasNoRowsAndHowToGetThem()
    {
        using var scratch = new CliScratch("forecast-all-train");
        string input = scratch.WriteSeries("s.csv", CliSeries.Seasonal(200));

        var run = await scratch.RunAsync("forecast", "--input", input, "--output", scratch.PathOf("out.csv"), "--window-size", "24", "--train-size", "200", "--horizon", "3");

        Assert.Equal(0, run.ExitCode);
        Assert.Single(File.ReadAllLines(scratch.PathOf("out.csv"))); // the header: one line per consumed row, and none is
        Assert.Contains("note: no rows after the 200 training rows", run.StandardError, StringComparison.Ordinal);
        Assert.Contains("--mode batch", run.StandardError, StringComparison.Ordinal);
    }
}
