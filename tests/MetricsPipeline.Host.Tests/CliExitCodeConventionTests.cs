using Xunit;

namespace MetricsPipeline.Host.Tests;

/// <summary>
/// One exit-code rule for every command: 2 when what the user gave is wrong (the command line, an input file, a
/// configuration, an output path), 1 when the work itself failed, 0 on success. Before, System.CommandLine's own parse
/// errors exited 1 for every command, and <c>forecast</c>, <c>backtest</c>, <c>retrain</c> and <c>fleet-trace</c> exited 1
/// for their input errors while the other commands exited 2.
/// </summary>
public sealed class CliExitCodeConventionTests
{
    public static TheoryData<string> Commands() =>
    [
        "demo", "fleet", "run", "version", "broker", "nab", "detect", "bench", "bench sketch", "bench aggregate", "bench e2e",
        "bench http", "bench agent", "bench soak", "bench scale", "forecast", "backtest", "simulate", "agent",
        "agent collectd-bridge", "plot", "retrain", "fleet-trace",
    ];

    [Theory]
    [MemberData(nameof(Commands))]
    public async Task WhenACommandGetsAnUnknownOptionThenItExitsTwo(string command)
    {
        using var scratch = new CliScratch("exit-unknown-option");

        var run = await scratch.RunAsync([.. command.Split(' '), "--no-such-option"]);

        Assert.True(run.ExitCode == 2, $"{command}: exit {run.ExitCode}\n{run.StandardError}");
        Assert.Contains("--no-such-option", run.StandardError, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("forecast", "--horizon", "soon")]
    [InlineData("backtest", "--stride", "x")]
    [InlineData("retrain", "--min-points", "many")]
    [InlineData("nab", "--cross-validate", "two")]
    public async Task WhenARequiredOptionIsMissingOrAValueDoesNotParseThenTheCommandExitsTwo(string command, string option, string value)
    {
        using var scratch = new CliScratch("exit-parse-error");

        var missing = await scratch.RunAsync(command);
        var unparsable = await scratch.RunAsync(command, option, value);

        Assert.True(missing.ExitCode == 2, $"{command}: exit {missing.ExitCode}\n{missing.StandardError}");
        Assert.True(unparsable.ExitCode == 2, $"{command} {option} {value}: exit {unparsable.ExitCode}\n{unparsable.StandardError}");
    }

    [Fact]
    public async Task WhenNoCommandIsGivenThenTheProgramExitsTwo()
    {
        using var scratch = new CliScratch("exit-no-command");

        var run = await scratch.RunAsync();

        Assert.Equal(2, run.ExitCode);
    }

    [Fact]
    public async Task WhenTheInputOrAnOptionIsBadThenForecastBacktestRetrainAndFleetTraceExitTwo()
    {
        using var scratch = new CliScratch("exit-input-error");
        string series = scratch.WriteSeries("series.csv", Enumerable.Range(0, 200).Select(i => 10.0 + (i % 12)).ToArray());
        string absent = scratch.PathOf("absent.csv");
        string out1 = scratch.PathOf("out");
        string[][] cases =
        [
            ["forecast", "--input", absent, "--output", out1],
            ["backtest", "--input", absent, "--output", out1, "--horizon", "2"],
            ["backtest", "--input", series, "--output", out1, "--horizon", "2", "--stride", "0"],
            ["retrain", "--history", scratch.PathOf("no-history"), "--models", scratch.PathOf("models")],
            ["retrain", "--history", scratch.Directory, "--models", scratch.PathOf("models"), "--config", scratch.PathOf("absent.json")],
            ["retrain", "--history", scratch.Directory, "--models", scratch.PathOf("models"), "--min-points", "0"],
            ["fleet-trace", "--service", "api", "--metric", "memory", "--output", out1],
            ["fleet-trace", "--service", "api", "--days", "0", "--output", out1],
        ];
        foreach (string[] args in cases)
        {
            var run = await scratch.RunAsync(args);
            Assert.True(run.ExitCode == 2, $"{string.Join(' ', args)}: exit {run.ExitCode}\n{run.StandardError}");
        }
    }

    [Fact]
    public async Task WhenPlotsInputDirectoryDoesNotExistThenPlotExitsTwoNamingIt()
    {
        using var scratch = new CliScratch("exit-plot-input");
        string absent = scratch.PathOf("no-lp-files");

        var run = await scratch.RunAsync("plot", "--input", absent, "--output", scratch.PathOf("charts"));

        Assert.True(run.ExitCode == 2, $"exit {run.ExitCode}\n{run.StandardError}");
        Assert.Contains($"--input '{absent}' does not exist", run.StandardError, StringComparison.Ordinal);
    }
}
