using System.CommandLine;
using System.Text.Json;
using MetricsPipeline.Forecasting;
using MetricsPipeline.Host.Forecasting;

namespace MetricsPipeline.Host.Commands;

/// <summary>
/// <c>metrics-pipeline backtest</c>: rolling-origin evaluation of the SSA forecaster against seasonal-naive and naive
/// baselines; writes per-step MASE, sMAPE and bound coverage as JSON. Timestamped rows are put on a
/// <see cref="TimeGrid"/> by default (<c>--grid time</c>), so step h is h × the median spacing ahead and only real rows are
/// origins and targets; <c>--grid rows</c> and <c>--compat mlnet</c> count rows as before.
/// </summary>
internal static class BacktestCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var cli = new SsaCliOptions();
        var stride = new Option<int>("--stride") { Description = "Evaluate every N-th origin (all rows are still consumed).", DefaultValueFactory = _ => 1 };
        var recalibrate = new Option<int>("--recalibrate-window") { Description = "Recalibrate the bounds online from the last N matured errors per step (0 = the model's own bounds; ignored with --compat mlnet).", DefaultValueFactory = _ => SsaForecasterOptions.DefaultRecalibrationWindow };
        var command = new Command("backtest", "Rolling-origin backtest of the SSA forecaster against seasonal-naive and naive baselines. Timestamped rows go on a regular time grid (--grid time, the default): step h is h x the median spacing ahead, origins and scored targets are real rows only, and the JSON's grid object counts slots, real rows, filled slots and rows dropped because an earlier row held their slot; --train-size counts input rows.");
        cli.AddTo(command);
        command.Options.Add(stride);
        command.Options.Add(recalibrate);
        command.SetAction(parse =>
        {
            try
            {
                if (parse.GetValue(stride) < 1)
                {
                    throw new ArgumentException($"--stride must be at least 1 (got {parse.GetValue(stride)}).");
                }

                if (parse.GetValue(recalibrate) < 0)
                {
                    // Refused as the stream's RecalibrationWindow is: it used to be read silently as 0 (recalibration off).
                    throw new ArgumentException($"--recalibrate-window must be at least 0 (0 = off; got {parse.GetValue(recalibrate)}).");
                }

                // The output is checked with the options (SsaCliOptions.Build), before the tuning.
                CliPaths.RequireReadableFile("--input", parse.GetValue(cli.Input)!);
                var series = SeriesCsv.Read(parse.GetValue(cli.Input)!);
                var progress = new StderrProgress("backtest");
                var (options, tuning, grid, trainRows) = cli.Build(parse, series, progress);
                ApplyTunedModel(parse, cli, options, tuning);
                ApplyRecalibration(options, parse.GetValue(recalibrate));
                int season = parse.GetValue(cli.Season) ?? tuning.Season;
                var report = grid is null
                    ? Backtester.Run(series.Values, options, season, parse.GetValue(stride), progress)
                    : Backtester.Run(grid.Values, options, season, parse.GetValue(stride), progress, real: grid.Real);
                var timestamps = series.Timestamps;

                // On the grid a step is the grid's step (the training rows' median spacing), so hour_step is the step one
                // hour ahead; on rows it is that only where the rows are evenly spaced.
                double stepSeconds = grid?.StepSeconds ?? MedianStepSeconds(timestamps);
                int hourStep = HourStep(stepSeconds, report.Horizon);
                Write(parse.GetValue(cli.Output)!, report, options, Model(options), hourStep, stepSeconds, trainRows, grid);
                var step1 = report.Steps[0];
                progress.Report($"model {Model(options)}, window {report.WindowSize}, rank {report.Rank}, season {report.Season}, origins {report.Origins}; step 1: mase {step1.Mase:F4} (seasonal naive {step1.SeasonalNaiveMase:F4}), coverage {step1.Coverage:P1}");
                if (hourStep > 0)
                {
                    var hour = report.Steps[hourStep - 1];
                    progress.Report($"1-hour step {hourStep}: mase {hour.Mase:F4} (seasonal naive {hour.SeasonalNaiveMase:F4}, naive {hour.NaiveMase:F4}; against seasonal naive {hour.Mase / hour.SeasonalNaiveMase:F4}; non-causal two-sided reference {hour.TwoSidedMase:F4}), coverage {hour.Coverage:P1}");
                }
                return 0;
            }
            catch (Exception ex) when (ex is InvalidDataException or ArgumentException or InvalidOperationException or IOException or UnauthorizedAccessException)
            {
                // What the user gave (the input, an option, the output path): a usage error, as for every command.
                Console.Error.WriteLine($"backtest: {CliErrorText.Of(ex)}");
                return Program.UsageError;
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

    /// <summary>
    /// Uses the tuner's forecast combination under the same condition as its rank (a user-chosen rank changes the model
    /// the combination was chosen for).
    /// </summary>
    internal static void ApplyTunedModel(ParseResult parse, SsaCliOptions cli, SsaForecasterOptions options, SsaTuning tuning)
    {
        static bool Given(ParseResult parse, Option option) => parse.GetResult(option) is { Implicit: false };
        ApplyTunedRank(parse, cli, options, tuning);
        if (!Given(parse, cli.RankSelection) && !Given(parse, cli.Rank) && !Given(parse, cli.MaxRank))
        {
            tuning.ApplyCombination(options);
        }
    }

    /// <summary>Turns on the online bound recalibration in the default mode (MlNet mode stays exact).</summary>
    internal static void ApplyRecalibration(SsaForecasterOptions options, int window)
    {
        if (options.Compatibility == SsaCompatibility.Default)
        {
            options.RecalibrationWindow = Math.Max(0, window);
        }
    }

    /// <summary>The model description written to the report (<c>ssa</c> or the combination).</summary>
    internal static string Model(SsaForecasterOptions options) =>
        new SsaTuning(options.WindowSize, 1, 1, double.NaN, NaiveWeight: options.NaiveWeight, NaiveSeason: options.NaiveSeason, NaiveStepWeights: options.NaiveStepWeights, NaiveMedianLength: options.NaiveMedianLength, NaiveLevelShare: options.NaiveLevelShare, LogOffset: options.IsLogTransformed ? options.LogOffset : null, NaiveAutoregressive: options.NaiveAutoregressive, AutoregressiveOverlayWeights: options.AutoregressiveOverlayWeights, AutoregressiveOverlaySeason: options.AutoregressiveOverlaySeason).Describe();

    /// <summary>Median spacing of the timestamps in seconds (NaN when the CSV has none or they do not parse).</summary>
    internal static double MedianStepSeconds(IReadOnlyList<string> timestamps)
    {
        var gaps = new List<double>();
        DateTimeOffset? previous = null;
        foreach (string t in timestamps)
        {
            if (!DateTimeOffset.TryParse(t, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var at))
            {
                return double.NaN;
            }

            if (previous is { } p && at > p)
            {
                gaps.Add((at - p).TotalSeconds);
            }

            previous = at;
        }

        if (gaps.Count == 0)
        {
            return double.NaN;
        }

        gaps.Sort();
        return gaps[gaps.Count / 2];
    }

    /// <summary>
    /// The horizon step that lands one hour after the origin: 3600 s over the step of <paramref name="seconds"/>, rounded
    /// (1 for hourly series such as realAdExchange, 12 for 5-minute ones, 6 for TravelTime_387's 10-minute median); 0
    /// when there is no step (no timestamps) or the step lies beyond <paramref name="horizon"/>.
    /// </summary>
    internal static int HourStep(double seconds, int horizon)
    {
        if (!double.IsFinite(seconds) || seconds <= 0)
        {
            return 0;
        }

        int step = Math.Max(1, (int)Math.Round(3600 / seconds));
        return step <= horizon ? step : 0;
    }

    private static void Write(string path, BacktestReport report, SsaForecasterOptions options, string model, int hourStep, double stepSeconds, int trainRows, TimeGrid? grid)
    {
        using var stream = File.Create(path);
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteNumber("season", report.Season);
        json.WriteNumber("horizon", report.Horizon);
        json.WriteNumber("train_size", trainRows);
        json.WriteNumber("origins", report.Origins);
        json.WriteNumber("window_size", report.WindowSize);
        json.WriteNumber("rank", report.Rank);
        json.WriteNumber("confidence_level", options.ConfidenceLevel);
        json.WriteString("compat", options.Compatibility.ToString());
        json.WriteString("model", model);
        json.WriteNumber("naive_weight", options.NaiveWeight);
        json.WriteNumber("naive_season", options.NaiveSeason);
        json.WriteNumber("naive_median_length", options.NaiveMedianLength);
        json.WriteNumber("naive_level_share", options.NaiveLevelShare);
        json.WriteBoolean("naive_autoregressive", options.NaiveAutoregressive);
        if (options.AutoregressiveOverlayWeights is { } overlay)
        {
            json.WriteStartArray("ar_overlay_weights");
            foreach (double v in overlay)
            {
                json.WriteNumberValue(v);
            }

            json.WriteEndArray();
            json.WriteNumber("ar_overlay_season", options.AutoregressiveOverlaySeason);
        }
        else
        {
            json.WriteNull("ar_overlay_weights");
            json.WriteNull("ar_overlay_season");
        }
        if (options.IsLogTransformed)
        {
            json.WriteNumber("log_offset", options.LogOffset!.Value);
        }
        else
        {
            json.WriteNull("log_offset");
        }

        json.WriteStartArray("naive_step_weights");
        for (int i = 0; i < report.Horizon; i++)
        {
            var weights = options.NaiveStepWeights;
            json.WriteNumberValue(weights is null ? options.NaiveWeight : weights[Math.Min(i, weights.Count - 1)]);
        }

        json.WriteEndArray();
        json.WriteNumber("recalibrate_window", options.RecalibrationWindow);
        WriteFinite(json, "step_seconds", stepSeconds);

        json.WriteNumber("hour_step", hourStep);

        // How the steps were counted: on the time grid (a step is step_seconds ahead) or on rows.
        json.WriteString("grid_mode", grid is null ? "rows" : "time");
        if (grid is null)
        {
            json.WriteNull("grid");
        }
        else
        {
            json.WriteStartObject("grid");
            json.WriteNumber("step_seconds", grid.StepSeconds);
            json.WriteNumber("slots", grid.Slots);
            json.WriteNumber("real_rows", grid.RealRows);
            json.WriteNumber("filled_slots", grid.FilledSlots);
            json.WriteNumber("dropped_rows", grid.DroppedRows);
            json.WriteNumber("train_slots", report.TrainSize);
            json.WriteEndObject();
        }

        json.WriteStartArray("steps");
        foreach (var s in report.Steps)
        {
            json.WriteStartObject();
            json.WriteNumber("step", s.Step);
            json.WriteNumber("count", s.Count);
            WriteFinite(json, "mase", s.Mase);
            WriteFinite(json, "smape", s.Smape);
            WriteFinite(json, "coverage", s.Coverage);
            WriteFinite(json, "seasonal_naive_mase", s.SeasonalNaiveMase);

            // The model's MAE over seasonal naive's on the same forecasts (both MASEs share one scale): below 1 when
            // the model beats seasonal naive at this step, whatever the test rows' difficulty against the training rows.
            WriteFinite(json, "mase_vs_seasonal_naive", s.SeasonalNaiveMase > 0 ? s.Mase / s.SeasonalNaiveMase : double.NaN);
            WriteFinite(json, "seasonal_naive_smape", s.SeasonalNaiveSmape);
            WriteFinite(json, "naive_mase", s.NaiveMase);
            WriteFinite(json, "naive_smape", s.NaiveSmape);
            WriteFinite(json, "bound_calibration", s.BoundCalibration);

            // Not a baseline to beat: a non-causal estimate from both sides of the target. At or above 1 it says the
            // test rows' noise at this distance already exceeds the training rows' seasonal-naive error.
            WriteFinite(json, "two_sided_mase", s.TwoSidedMase);
            json.WriteNumber("two_sided_span", s.TwoSidedSpan);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    /// <summary>
    /// Writes a number, or null when it is NaN or infinite: JSON has no such numbers, and Utf8JsonWriter would throw
    /// half-way through the report (an empty cell in the input makes the naive baseline's error NaN, for instance).
    /// </summary>
    private static void WriteFinite(Utf8JsonWriter json, string name, double value)
    {
        if (double.IsFinite(value))
        {
            json.WriteNumber(name, value);
        }
        else
        {
            json.WriteNull(name);
        }
    }
}
