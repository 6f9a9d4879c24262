using System.CommandLine;
using System.Text.Json;
using MetricsPipeline.Forecasting;
using MetricsPipeline.Host.Forecasting;

namespace MetricsPipeline.Host.Commands;

/// <summary>
/// <c>metrics-pipeline backtest</c>: rolling-origin evaluation of the SSA forecaster against seasonal-naive and naive
/// baselines; writes per-step MASE, sMAPE and bound coverage as JSON.
/// </summary>
internal static class BacktestCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var cli = new SsaCliOptions();
        var stride = new Option<int>("--stride") { Description = "Evaluate every N-th origin (all rows are still consumed).", DefaultValueFactory = _ => 1 };
        var recalibrate = new Option<int>("--recalibrate-window") { Description = "Recalibrate the bounds online from the last N matured errors per step (0 = the model's own bounds).", DefaultValueFactory = _ => 0 };
        var command = new Command("backtest", "Rolling-origin backtest of the SSA forecaster against seasonal-naive and naive baselines.");
        cli.AddTo(command);
        command.Options.Add(stride);
        command.Options.Add(recalibrate);
        command.SetAction(parse =>
        {
            try
            {
                var series = SeriesCsv.Read(parse.GetValue(cli.Input)!);
                var progress = new StderrProgress("backtest");
                var (options, tuning) = cli.Build(parse, series.Values, progress);
                ApplyTunedRank(parse, cli, options, tuning);
                int season = parse.GetValue(cli.Season) ?? tuning.Season;
                var report = Backtester.Run(series.Values, options, season, parse.GetValue(stride), progress, parse.GetValue(recalibrate));
                Write(parse.GetValue(cli.Output)!, report, options);
                var step1 = report.Steps[0];
                progress.Report($"window {report.WindowSize}, rank {report.Rank}, season {report.Season}, origins {report.Origins}; step 1: mase {step1.Mase:F4} (seasonal naive {step1.SeasonalNaiveMase:F4}), coverage {step1.Coverage:P1}");
                return 0;
            }
            catch (Exception ex) when (ex is InvalidDataException or ArgumentException or InvalidOperationException or IOException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"backtest: {ex.Message}");
                return 1;
            }
        });
        return command;
    }

    /// <summary>
    /// Uses the tuner's fixed rank unless the user chose the rank method, rank or rank cap: the CLI options builder
    /// only forwards the window and cap, and the rank is chosen by the same training-only inner backtest.
    /// </summary>
    internal static void ApplyTunedRank(ParseResult parse, SsaCliOptions cli, SsaForecasterOptions options, SsaTuning tuning)
    {
        static bool Given(ParseResult parse, Option option) => parse.GetResult(option) is { Implicit: false };
        if (!Given(parse, cli.RankSelection) && !Given(parse, cli.Rank) && !Given(parse, cli.MaxRank) && options.Compatibility == SsaCompatibility.Default)
        {
            tuning.ApplyRank(options);
        }
    }

    private static void Write(string path, BacktestReport report, SsaForecasterOptions options)
    {
        using var stream = File.Create(path);
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteNumber("season", report.Season);
        json.WriteNumber("horizon", report.Horizon);
        json.WriteNumber("train_size", report.TrainSize);
        json.WriteNumber("origins", report.Origins);
        json.WriteNumber("window_size", report.WindowSize);
        json.WriteNumber("rank", report.Rank);
        json.WriteNumber("confidence_level", options.ConfidenceLevel);
        json.WriteString("compat", options.Compatibility.ToString());
        json.WriteStartArray("steps");
        foreach (var s in report.Steps)
        {
            json.WriteStartObject();
            json.WriteNumber("step", s.Step);
            json.WriteNumber("count", s.Count);
            json.WriteNumber("mase", s.Mase);
            json.WriteNumber("smape", s.Smape);
            json.WriteNumber("coverage", s.Coverage);
            json.WriteNumber("seasonal_naive_mase", s.SeasonalNaiveMase);
            json.WriteNumber("seasonal_naive_smape", s.SeasonalNaiveSmape);
            json.WriteNumber("naive_mase", s.NaiveMase);
            json.WriteNumber("naive_smape", s.NaiveSmape);
            if (double.IsFinite(s.BoundCalibration))
            {
                json.WriteNumber("bound_calibration", s.BoundCalibration);
            }
            else
            {
                json.WriteNull("bound_calibration");
            }
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }
}
