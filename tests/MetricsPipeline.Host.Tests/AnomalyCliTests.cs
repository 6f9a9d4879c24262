using System.Globalization;
using Xunit;

namespace MetricsPipeline.Host.Tests;

/// <summary><c>metrics-pipeline detect</c> with the SSA detectors, as a child process.</summary>
public class AnomalyCliTests
{
    private static async Task<string[]> DetectAsync(string input, params string[] args)
    {
        var output = Path.Combine(Path.GetTempPath(), $"mp-detect-{Guid.NewGuid():N}.csv");
        try
        {
            var run = await HostProcess.RunAsync(["detect", "--input", input, "--output", output, .. args], TimeSpan.FromMinutes(1), TestContext.Current.CancellationToken);
            Assert.True(run.ExitCode == 0, $"detect exited {run.ExitCode}\n{run.StandardOutput}\n{run.StandardError}");
            return await File.ReadAllLinesAsync(output, TestContext.Current.CancellationToken);
        }
        finally
        {
            File.Delete(output);
        }
    }

    [Fact]
    public async Task WhenTheSsaDetectorsRunOnASeasonalSeriesWithASpikeThenTheSpikeRowAlertsInBothModesAndTheColumnsFollowTheDetector()
    {
        var input = Path.Combine(Path.GetTempPath(), $"mp-series-{Guid.NewGuid():N}.csv");
        var rows = Enumerable.Range(0, 300).Select(t => (3 * Math.Sin(2 * Math.PI * t / 10)) + (t == 250 ? 8 : 0)).ToArray();
        await File.WriteAllLinesAsync(input, ["timestamp,value", .. rows.Select((v, t) => $"{t},{v.ToString("R", CultureInfo.InvariantCulture)}")], TestContext.Current.CancellationToken);
        try
        {
            var batch = await DetectAsync(input, "--detector", "ssa-spike", "--mode", "batch", "--pvalue-history-length", "50");
            var engine = await DetectAsync(input, "--detector", "ssa-spike", "--mode", "engine", "--pvalue-history-length", "50");
            var changePoint = await DetectAsync(input, "--detector", "ssa-changepoint", "--change-history-length", "20");

            Assert.Equal("index,timestamp,value,alert,score,p_value,anomaly_score", batch[0]);
            Assert.Equal("index,timestamp,value,alert,score,p_value,martingale,anomaly_score", changePoint[0]);
            Assert.Equal(301, batch.Length);
            Assert.Equal("1", batch[251].Split(',')[3]);
            Assert.Equal(8, double.Parse(batch[251].Split(',')[4], CultureInfo.InvariantCulture), 1e-3);
            Assert.DoesNotContain(batch.Skip(1).Take(250), l => l.Split(',')[3] == "1");

            // Engine mode scores x_t against the forecast of t + 1 made after consuming x_t, so the raw scores differ.
            Assert.NotEqual(batch.Skip(1).Select(l => l.Split(',')[4]), engine.Skip(1).Select(l => l.Split(',')[4]));
        }
        finally
        {
            File.Delete(input);
        }
    }

    [Fact]
    public async Task WhenTheTrainingWindowIsTooShortThenDetectExitsWithTwoAndMlNetsMessage()
    {
        var run = await HostProcess.RunAsync(["detect", "--input", "/nonexistent.csv", "--output", "/tmp/x.csv", "--detector", "ssa-spike", "--training-window-size", "15"], TimeSpan.FromMinutes(1), TestContext.Current.CancellationToken);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("2 * seasonality window size", run.StandardError, StringComparison.Ordinal);
    }
}
