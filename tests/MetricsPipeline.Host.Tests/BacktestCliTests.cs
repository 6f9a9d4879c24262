using System.Text.Json;
using Xunit;

namespace MetricsPipeline.Host.Tests;

/// <summary><c>metrics-pipeline backtest</c> as a child process: the report keys of issue 4 item 8 and what they mean.</summary>
public class BacktestCliTests
{
    private static readonly string[] StepKeys =
        ["mase", "smape", "coverage", "seasonal_naive_mase", "seasonal_naive_smape", "naive_mase", "naive_smape", "mase_vs_seasonal_naive", "two_sided_mase", "two_sided_span"];

    [Fact]
    public async Task WhenASeasonalSeriesIsBacktestedThenEveryStepReportsTheContractKeysAndTheModelBeatsNaive()
    {
        using var scratch = new CliScratch("backtest");

        // 5-minute rows, so the 1-hour step is 12; a 24-row season, so the last value is a poor forecast 12 rows ahead.
        string input = scratch.WriteSeries("series.csv", CliSeries.Seasonal(320));
        await scratch.RunOkAsync("backtest", "--input", input, "--season", "24", "--horizon", "12", "--train-size", "160", "--output", scratch.PathOf("report.json"));

        var report = scratch.ReadJson("report.json");
        Assert.Equal(24, report.GetProperty("season").GetInt32());
        Assert.Equal(12, report.GetProperty("horizon").GetInt32());
        Assert.Equal(12, report.GetProperty("hour_step").GetInt32());
        Assert.Equal(300, report.GetProperty("step_seconds").GetDouble());
        Assert.True(report.GetProperty("naive_median_length").GetInt32() >= 0);
        Assert.InRange(report.GetProperty("naive_level_share").GetDouble(), 0, 1);
        // The autoregressive naive kind is a flag, and it says "ar(" in the model's description exactly when set.
        Assert.Equal(report.GetProperty("model").GetString()!.Contains(" overlaid", StringComparison.Ordinal) || report.GetProperty("naive_autoregressive").GetBoolean(), report.GetProperty("model").GetString()!.Contains("ar(", StringComparison.Ordinal));
        // The overlay's weights are an array exactly when the model says "overlaid" (else null), and so is its season.
        var overlay = report.GetProperty("ar_overlay_weights");
        Assert.Equal(report.GetProperty("model").GetString()!.Contains(" overlaid", StringComparison.Ordinal), overlay.ValueKind == JsonValueKind.Array);
        Assert.Equal(overlay.ValueKind == JsonValueKind.Array ? JsonValueKind.Number : JsonValueKind.Null, report.GetProperty("ar_overlay_season").ValueKind);
        var steps = report.GetProperty("steps").EnumerateArray().ToArray();
        Assert.Equal(12, steps.Length);
        for (int i = 0; i < steps.Length; i++)
        {
            var step = steps[i];
            Assert.Equal(i + 1, step.GetProperty("step").GetInt32());
            foreach (string key in StepKeys)
            {
                Assert.True(step.TryGetProperty(key, out var value) && value.ValueKind == JsonValueKind.Number, $"step {i + 1}: '{key}' is missing or not a number");
            }

            double mase = step.GetProperty("mase").GetDouble();
            double seasonalNaive = step.GetProperty("seasonal_naive_mase").GetDouble();
            Assert.Equal(mase / seasonalNaive, step.GetProperty("mase_vs_seasonal_naive").GetDouble(), 12);
            double coverage = step.GetProperty("coverage").GetDouble();
            Assert.InRange(coverage, 0, 1);
            Assert.InRange(step.GetProperty("smape").GetDouble(), 0, 200);
        }

        // Half a season ahead the last value sits on the other side of the wave: the model must be far better than naive.
        var hour = steps[11];
        double modelMase = hour.GetProperty("mase").GetDouble();
        double naiveMase = hour.GetProperty("naive_mase").GetDouble();
        Assert.True(modelMase < naiveMase / 4, $"1-hour step: model MASE {modelMase}, naive MASE {naiveMase}");
        Assert.True(hour.GetProperty("smape").GetDouble() < hour.GetProperty("naive_smape").GetDouble());
    }

    [Fact]
    public async Task WhenTheSeriesHasEmptyCellsThenTheReportIsCompleteJsonWithNullForAnUndefinedError()
    {
        using var scratch = new CliScratch("backtest-gaps");
        var values = CliSeries.Seasonal(320);
        values[200] = double.NaN; // written as "NaN"; an empty cell reads the same
        string input = scratch.WriteSeries("series.csv", values);
        File.WriteAllLines(input, File.ReadAllLines(input).Select(l => l.Replace(",NaN", ",", StringComparison.Ordinal)));
        await scratch.RunOkAsync("backtest", "--input", input, "--season", "24", "--horizon", "3", "--train-size", "160", "--output", scratch.PathOf("report.json"));

        // Before the fix the writer threw on the first non-finite error and left a truncated report.
        var steps = scratch.ReadJson("report.json").GetProperty("steps").EnumerateArray().ToArray();
        Assert.Equal(3, steps.Length);
        foreach (var step in steps)
        {
            foreach (string key in StepKeys)
            {
                var kind = step.GetProperty(key).ValueKind;
                Assert.True(kind is JsonValueKind.Number or JsonValueKind.Null, $"'{key}' is {kind}");
            }

            // Every error is defined: the naive baseline forecasts from the last value observed, so the gap at an
            // origin does not make it missing (it did: naive_mase was null).
            foreach (string key in new[] { "mase", "seasonal_naive_mase", "naive_mase", "naive_smape" })
            {
                Assert.Equal(JsonValueKind.Number, step.GetProperty(key).ValueKind);
            }
        }
    }

    [Fact]
    public async Task WhenTheHorizonIsNotPositiveOrTheInputHasNoValueColumnThenBacktestFailsNamingTheProblem()
    {
        using var scratch = new CliScratch("backtest-errors");
        string input = scratch.WriteSeries("series.csv", CliSeries.Seasonal(200));
        var zero = await scratch.RunAsync("backtest", "--input", input, "--horizon", "0", "--output", scratch.PathOf("report.json"));
        Assert.NotEqual(0, zero.ExitCode);
        Assert.Contains("--horizon", zero.StandardError, StringComparison.Ordinal);
        Assert.False(File.Exists(scratch.PathOf("report.json")));

        string noValue = scratch.PathOf("no-value.csv");
        File.WriteAllLines(noValue, ["timestamp,requests", "2026-01-01 00:00:00,1"]);
        var withoutValue = await scratch.RunAsync("backtest", "--input", noValue, "--horizon", "3", "--output", scratch.PathOf("report.json"));
        Assert.NotEqual(0, withoutValue.ExitCode);
        Assert.Contains("'value' column", withoutValue.StandardError, StringComparison.Ordinal);

        var stride = await scratch.RunAsync("backtest", "--input", input, "--horizon", "3", "--stride", "0", "--output", scratch.PathOf("report.json"));
        Assert.NotEqual(0, stride.ExitCode);
        Assert.Contains("--stride must be at least 1 (got 0)", stride.StandardError, StringComparison.Ordinal);
    }
}
