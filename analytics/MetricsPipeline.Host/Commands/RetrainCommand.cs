using System.CommandLine;
using System.Globalization;
using MetricsPipeline.Forecasting.History;
using MetricsPipeline.Forecasting.Retraining;
using MetricsPipeline.Forecasting.Store;
using MetricsPipeline.Forecasting.Streaming;
using MetricsPipeline.Host.Forecasting;
using Microsoft.Extensions.Configuration;

namespace MetricsPipeline.Host.Commands;

/// <summary>
/// <c>metrics-pipeline retrain --history DIR --models DIR</c>: reads the Arrow window history, rebuilds each configured
/// forecast series (the same selection and per-group combination as the stream), fits a model per series with the
/// window chosen by backtest, and stores versioned checkpoints with their scores; a running pipeline whose
/// <c>Analytics:Forecasting:ModelDirectory</c> is the same directory picks them up.
/// </summary>
internal static class RetrainCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var history = new Option<string>("--history") { Description = "The window-history directory (Analytics:History:Directory of the pipeline).", Required = true };
        var models = new Option<string>("--models") { Description = "The model store directory (Analytics:Forecasting:ModelDirectory of the pipeline).", Required = true };
        var config = new Option<string?>("--config") { Description = "An appsettings.json whose Analytics:Forecasting section lists the series (default: the built-in series)." };
        var horizon = new Option<int?>("--horizon") { Description = "Forecast steps to tune and score for (default: Analytics:Forecasting:Horizon, 60); the stored models forecast Analytics:Forecasting:Horizon steps either way, as the stream asks them to." };
        var minPoints = new Option<int>("--min-points") { Description = "Skip series with fewer windows.", DefaultValueFactory = _ => 60 };
        var promote = new Option<bool>("--promote") { Description = "Mark the new versions as forced: the pipeline loads them even if they score worse than its current models." };
        var command = new Command("retrain", "Fit one SSA model per configured series from the Arrow window history and store versioned checkpoints with their backtest scores.");
        foreach (var option in new Option[] { history, models, config, horizon, minPoints, promote })
        {
            command.Options.Add(option);
        }

        command.SetAction(parse =>
        {
            try
            {
                // The paths in the words of every command, before any work: a file given as --history "did not exist", a
                // directory given as --config "was not found", a file given as --models failed at the first store.
                if (parse.GetValue(config) is { } configPath)
                {
                    CliPaths.RequireReadableFile("--config", configPath);
                }

                if (File.Exists(parse.GetValue(history)))
                {
                    throw new ArgumentException($"--history '{parse.GetValue(history)}' is a file; give a directory.");
                }

                if (File.Exists(parse.GetValue(models)))
                {
                    throw new ArgumentException($"--models '{parse.GetValue(models)}' is a file; give a directory.");
                }

                IConfiguration? configuration = parse.GetValue(config) is { } path
                    ? new ConfigurationBuilder().AddJsonFile(Path.GetFullPath(path), optional: false).Build()
                    : null;
                var options = ForecastStages.Options(configuration);
                options.Validate();
                if (parse.GetValue(horizon) is < 1 and var h)
                {
                    throw new ArgumentException($"--horizon must be positive (got {h}).");
                }

                if (parse.GetValue(minPoints) is < 1 and var m)
                {
                    throw new ArgumentException($"--min-points must be positive (got {m}).");
                }

                var retrainer = new ModelRetrainer(new ModelStore(parse.GetValue(models)!))
                {
                    Horizon = parse.GetValue(horizon) ?? options.Horizon,
                    ServingHorizon = options.Horizon,
                    ConfidenceLevel = options.ConfidenceLevel,
                    RecalibrationWindow = options.RecalibrationWindow,
                    Force = parse.GetValue(promote),
                    MinPoints = parse.GetValue(minPoints),
                };
                return Run(parse.GetValue(history)!, options, retrainer);
            }
            catch (Exception ex) when (ex is ArgumentException or IOException or InvalidDataException or UnauthorizedAccessException or InvalidOperationException)
            {
                // What the user gave (an option, the configuration, a directory): a usage error, as for every command.
                Console.Error.WriteLine($"retrain: {CliErrorText.Of(ex)}");
                return Program.UsageError;
            }
        });
        return command;
    }

    private static int Run(string historyDir, StreamForecastOptions options, ModelRetrainer retrainer)
    {
        if (!Directory.Exists(historyDir))
        {
            Console.Error.WriteLine($"retrain: the history directory {historyDir} does not exist");
            return Program.UsageError;
        }

        var series = options.EffectiveSeries;
        var stored = 0;
        var skipped = 0;
        foreach (var window in series.Select(s => s.Window).Distinct(StringComparer.Ordinal))
        {
            var selected = series.Where(s => s.Window == window).ToList();
            var files = Directory.Exists(Path.Combine(historyDir, window)) ? Directory.GetFiles(Path.Combine(historyDir, window), "*.arrows") : [];
            if (files.Length == 0)
            {
                Console.Error.WriteLine($"retrain: no {window} history under {historyDir}");
                skipped += SkipAll(selected, $"no {window} history");
                continue;
            }

            var quantiles = QuantileNames(files);
            if (quantiles is null)
            {
                Console.Error.WriteLine($"retrain: none of the {files.Length} {window} history files under {historyDir} is readable");
                skipped += SkipAll(selected, $"no {window} history file is readable");
                continue;
            }

            var aggregator = new ServiceSeriesAggregator(selected, quantiles);
            // Columns are matched by name in every file; a file that cannot be read (an unknown history version, not
            // Arrow, empty) is skipped and named, and a torn one says how many rows it gave.
            var rows = WindowHistoryReader.Read(historyDir, window, quantiles, notice => Console.Error.WriteLine($"retrain: {notice}"));
            var observations = aggregator.Aggregate(WindowHistoryReader.DistinctWindows(rows));
            var step = WindowText.Parse(window);
            var histories = SeriesHistory.Build(observations, _ => step, options.MaxGapSteps, retrainer.MinPoints);
            var found = histories.Select(h => h.Series).ToHashSet();
            for (var i = 0; i < selected.Count; i++)
            {
                // A series that matches no row (a misspelt field, a statistic the history lacks) would otherwise vanish without a word.
                if (!found.Contains(i))
                {
                    skipped++;
                    Console.WriteLine($"{selected[i].Source}: skipped (no {selected[i].Measurement} windows with field {selected[i].Field} in the {window} history)");
                }
            }

            foreach (var h in histories)
            {
                var outcome = retrainer.Retrain(h);
                if (outcome.Stored is { } m)
                {
                    stored++;
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{h.SeriesKey}: {m.VersionTag} from {outcome.Points} windows, model {m.Model}, window {m.WindowSize}, rank {m.Rank}, season {m.Season}, score (mean MASE) {m.Score:F4}, coverage@1 {(m.Coverage.Length > 0 ? m.Coverage[0] : double.NaN):P1}, mean coverage {m.MeanCoverage():P1}"));
                    if (m.MeanCoverage() < options.MinModelCoverage && !m.Force)
                    {
                        // Said here too, not only by the pipeline that will refuse it.
                        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{h.SeriesKey}: note: its bounds' mean coverage {m.MeanCoverage():P1} is below Analytics:Forecasting:MinModelCoverage ({options.MinModelCoverage:P0}): a running pipeline keeps a model inside that band instead (--promote loads it anyway)"));
                    }
                }
                else
                {
                    skipped++;
                    Console.WriteLine($"{h.SeriesKey}: skipped ({outcome.Reason})");
                }
            }
        }

        Console.WriteLine($"retrain: {stored} models stored, {skipped} series skipped");
        return stored > 0 ? 0 : Program.RunFailed;
    }

    /// <summary>
    /// Says that each of <paramref name="selected"/> is skipped and why, as for a series that matches no row; returns how
    /// many (they used to be left out of the summary's "N series skipped").
    /// </summary>
    private static int SkipAll(List<ForecastSeriesOptions> selected, string why)
    {
        foreach (var s in selected)
        {
            Console.WriteLine($"{s.Source}: skipped ({why})");
        }

        return selected.Count;
    }

    /// <summary>
    /// The quantile column names of the first history file whose schema reads (the order the rows are read in; every
    /// file's columns are matched to it by name). The files that do not read are named when the rows are read; when
    /// none reads, they are named here.
    /// </summary>
    private static IReadOnlyList<string>? QuantileNames(string[] files)
    {
        var errors = new List<string>();
        foreach (var file in files.Order(StringComparer.Ordinal))
        {
            try
            {
                return WindowHistoryReader.QuantileNames(file);
            }
            catch (Exception ex) when (WindowHistoryReader.IsUnreadable(ex))
            {
                errors.Add($"retrain: skipping unreadable history file {file}: {CliErrorText.Of(ex)}");
            }
        }

        errors.ForEach(Console.Error.WriteLine);
        return null;
    }
}
