using System.CommandLine;
using MetricsPipeline.Forecasting;
using MetricsPipeline.Host.Commands;

namespace MetricsPipeline.Host.Forecasting;

/// <summary>The SSA command-line options shared by <c>forecast</c> and <c>backtest</c>, and how omitted ones are chosen.</summary>
internal sealed class SsaCliOptions
{
    public Option<string> Input { get; } = new("--input") { Description = "CSV with a header, a 'value' column and optionally 'timestamp'.", Required = true };

    public Option<string> Output { get; } = new("--output") { Description = "Output file.", Required = true };

    public Option<int> Horizon { get; } = new("--horizon") { Description = "Steps forecast after each row.", DefaultValueFactory = _ => 1 };

    public Option<int?> WindowSize { get; } = new("--window-size") { Description = "SSA window length L (default: chosen from the detected season by backtest on the training rows)." };

    public Option<int?> SeriesLength { get; } = new("--series-length") { Description = "Buffer length (default: window size + 1)." };

    public Option<int?> TrainSize { get; } = new("--train-size") { Description = "Rows used for training (default: the first half)." };

    public Option<float> ConfidenceLevel { get; } = new("--confidence-level") { Description = "Confidence level of the bounds, in [0, 1).", DefaultValueFactory = _ => 0.95f };

    public Option<string> RankSelection { get; } = new("--rank-selection") { Description = "Exact, Fast or Fixed.", DefaultValueFactory = _ => "Exact" };

    public Option<int?> Rank { get; } = new("--rank") { Description = "Rank for --rank-selection Fixed (ignored with Exact and Fast, as in ML.NET)." };

    public Option<int?> MaxRank { get; } = new("--max-rank") { Description = "Rank cap (default: window size − 1, or 40 when the window is chosen automatically; a given cap also bounds the auto-tuner's search; ignored with --compat mlnet, as ML.NET's forecaster ignores it)." };

    public Option<bool> NoStabilize { get; } = new("--no-stabilize") { Description = "Do not stabilise the recurrence." };

    public Option<bool> VariableHorizon { get; } = new("--variable-horizon") { Description = "ML.NET's VariableHorizon: allow forecasts with other horizons (accepted; this command always forecasts --horizon steps, so it changes no output)." };

    public Option<double?> MaxGrowth { get; } = new("--max-growth") { Description = "Maximum per-point trend growth ratio for stabilisation (e.g. 1.0)." };

    public Option<bool> Adaptive { get; } = new("--adaptive") { Description = "ML.NET's IsAdaptive (accepted; the model is not re-trained online)." };

    public Option<string> Compat { get; } = new("--compat") { Description = "mlnet or default.", DefaultValueFactory = _ => "default" };

    public Option<int?> Season { get; } = new("--season") { Description = "Season length in steps, at least 1 (1 = no season) and shorter than the training (default: detected on the training rows or slots)." };

    public Option<string> Grid { get; } = new("--grid") { Description = "time: put timestamped rows on a regular time grid (step = median spacing; gaps filled by interpolation, scored at real rows only), so a step is a fixed time ahead; rows: every row is one step, as before. Without timestamps, and with --compat mlnet, always rows.", DefaultValueFactory = _ => "time" };

    public SsaCliOptions()
    {
        RankSelection.AcceptOnlyFromAmong(StringComparer.OrdinalIgnoreCase, "Exact", "Fast", "Fixed");
        Compat.AcceptOnlyFromAmong(StringComparer.OrdinalIgnoreCase, "mlnet", "default");
        Grid.AcceptOnlyFromAmong(StringComparer.OrdinalIgnoreCase, "time", "rows");
    }

    /// <summary>Adds every option to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        foreach (Option option in new Option[] { Input, Output, Horizon, WindowSize, SeriesLength, TrainSize, ConfidenceLevel, RankSelection, Rank, MaxRank, NoStabilize, VariableHorizon, MaxGrowth, Adaptive, Compat, Season, Grid })
        {
            command.Options.Add(option);
        }
    }

    /// <summary>
    /// Builds validated SSA options from the command line; omitted window/rank cap are tuned on the training rows only.
    /// With <c>--grid time</c> (the default) and parseable timestamps, outside <c>--compat mlnet</c>, the series is put on
    /// a <see cref="TimeGrid"/> first: the options' <c>TrainSize</c> then counts the grid slots up to the last training
    /// row (<c>--train-size</c> still counts input rows), and the season and tuning run on those slots.
    /// </summary>
    /// <returns>
    /// The options, the tuning, the grid (null when the rows are used as they are) and the training rows (input rows:
    /// <c>--train-size</c> or half the input).
    /// </returns>
    /// <exception cref="ArgumentException">A parameter is invalid, there are too few rows, or the timestamps do not make a grid.</exception>
    public (SsaForecasterOptions Options, SsaTuning Tuning, TimeGrid? Grid, int TrainRows) Build(ParseResult parse, SeriesCsv series, IProgress<string> progress)
    {
        var values = series.Values;
        int n = values.Length;
        if (n == 0)
        {
            // Said plainly: the default train size of an empty input would otherwise be reported as too large.
            throw new ArgumentException("The input has no data rows.");
        }

        int trainSize = parse.GetValue(TrainSize) ?? Math.Max(1, n / 2);
        if (trainSize < 1)
        {
            // Caught here: a negative size would otherwise surface as an unnamed out-of-range error from slicing.
            throw new ArgumentException($"--train-size must be at least 1 (got {trainSize}).");
        }

        if (trainSize > n)
        {
            throw new ArgumentException($"--train-size {trainSize} exceeds the {n} rows of the input.");
        }

        int horizon = parse.GetValue(Horizon);
        if (horizon < 1)
        {
            throw new ArgumentException($"--horizon must be at least 1 (got {horizon}).");
        }

        CheckWritable(parse.GetValue(Output)!);
        bool mlnet = string.Equals(parse.GetValue(Compat), "mlnet", StringComparison.OrdinalIgnoreCase);
        var grid = !mlnet && string.Equals(parse.GetValue(Grid), "time", StringComparison.OrdinalIgnoreCase) ? TimeGridOf(series, trainSize) : null;
        if (grid is null && !mlnet && string.Equals(parse.GetValue(Grid), "time", StringComparison.OrdinalIgnoreCase) && series.WhyNoTimeGrid() is { } why)
        {
            // Said, not silent: one bad cell used to send the whole series back to rows, seen only as grid_mode "rows".
            progress.Report($"note: no time grid: {why}; every row is one step (as with --grid rows).");
        }

        if (mlnet && values.FirstOrDefault(v => Math.Abs(v) > float.MaxValue) is var huge && Math.Abs(huge) > float.MaxValue)
        {
            // ML.NET reads values as float32: this one would become infinite and turn the forecasts into NaN.
            throw new ArgumentException(FormattableString.Invariant($"The value {huge:R} (data row {Array.IndexOf(values, huge) + 1}) exceeds the float32 range that --compat mlnet reads values in."));
        }

        int trainLength = trainSize;
        if (grid is not null)
        {
            trainLength = TrainingSlots(grid, values, trainSize);
            progress.Report(FormattableString.Invariant($"time grid: step {grid.StepSeconds} s, {grid.Slots} slots, {grid.RealRows} real, {grid.FilledSlots} filled, {grid.DroppedRows} dropped rows (slot already held); training: {trainSize} rows = {trainLength} slots"));
        }

        // On rows the model trains on the values among the training rows (missing ones are skipped, as ML.NET does), and
        // with 2L or fewer it would not train at all and forecast 0 everywhere: count the values, not the rows.
        int trainValues = grid is null ? CountValues(values.AsSpan(0, trainSize)) : trainLength;
        int? window = parse.GetValue(WindowSize);
        if (window is { } w && trainValues <= 2 * w)
        {
            throw new ArgumentException(TooFew(w, trainSize, trainValues, grid is not null));
        }

        if (parse.GetValue(Season) is { } season && (season < 1 || season >= trainLength))
        {
            // A season below 1 used to be read silently as 1, and one at least as long as the training rows left the MASE
            // scale without a pair of values one season apart (the report then showed raw errors and a seasonal naive of 0).
            throw new ArgumentException(season < 1
                ? $"--season must be at least 1 (1 = no season; got {season})."
                : $"--season {season} must be shorter than the training {(grid is null ? "rows" : "time-grid slots")} ({trainLength}): the MASE scale compares training values one season apart.");
        }

        if (window is { } given)
        {
            // Every option that must fit the window is known now: a --rank, --series-length or --max-rank that cannot go
            // with it used to fail only after the auto-tuner's inner backtests (tens of seconds on a long series).
            Validate(Options(given, null, 1));
        }
        else
        {
            ValidateWithoutWindow(parse, mlnet);
        }

        WarnIgnored(parse, mlnet, progress);
        var training = grid is null ? values.AsSpan(0, trainSize) : grid.Values[..trainLength];
        var real = grid is null ? default : grid.Real[..trainLength];
        // A given --max-rank, or --rank with --rank-selection Fixed, is the final model's: the tuner searches under it, not
        // under ranks the user excluded (it used to try ranks up to 32 with --max-rank 3 and pick the window by them).
        // With any of the rank options given the tuned rank and combination are not applied (ApplyTunedModel), so only
        // the window is searched, on the data's scale: the window and bound scale are then those of the model that runs.
        bool rankGiven = !mlnet && (Given(parse, RankSelection) || Given(parse, Rank) || Given(parse, MaxRank));
        int? givenMaxRank = mlnet ? null : parse.GetValue(MaxRank);
        int? givenRank = string.Equals(parse.GetValue(RankSelection), "Fixed", StringComparison.OrdinalIgnoreCase) ? parse.GetValue(Rank) : null;
        SsaTuning tuning;
        try
        {
            // The log scale is a default-mode model: under --compat mlnet the tuner searches the data's scale only.
            tuning = (mlnet && window is null ? MlNetWindow(training, parse.GetValue(Season), trainValues, progress) : null)
                ?? SsaAutoTuner.Tune(training, horizon, tryLogTransform: !mlnet && !rankGiven, window, parse.GetValue(Season), progress, parse.GetValue(ConfidenceLevel), real, givenMaxRank, givenRank, windowOnly: rankGiven);
        }
        catch (ArgumentException e)
        {
            // A given window or confidence level fails inside the tuner's own models first.
            throw SsaOptionNames.ForCli(e);
        }
        if (trainValues <= 2 * tuning.WindowSize)
        {
            throw new ArgumentException(TooFew(tuning.WindowSize, trainSize, trainValues, grid is not null));
        }
        var options = Options(tuning.WindowSize, window is null ? tuning.MaxRank : null, tuning.BoundScale);
        Validate(options);
        return (options, tuning, grid, trainSize);

        SsaForecasterOptions Options(int windowSize, int? tunedMaxRank, double boundScale) => new()
        {
            WindowSize = windowSize,
            SeriesLength = parse.GetValue(SeriesLength) ?? windowSize + 1,
            TrainSize = trainLength,
            Horizon = horizon,
            ConfidenceLevel = parse.GetValue(ConfidenceLevel),
            RankSelectionMethod = Enum.Parse<RankSelectionMethod>(parse.GetValue(RankSelection) ?? "Exact", ignoreCase: true),
            Rank = parse.GetValue(Rank),
            MaxRank = parse.GetValue(MaxRank) ?? tunedMaxRank,
            ShouldStabilize = !parse.GetValue(NoStabilize),
            VariableHorizon = parse.GetValue(VariableHorizon),
            MaxGrowth = parse.GetValue(MaxGrowth) is { } g ? new GrowthRatio(1, g) : null,
            IsAdaptive = parse.GetValue(Adaptive),
            Compatibility = mlnet ? SsaCompatibility.MlNet : SsaCompatibility.Default,
            BoundScale = boundScale,
        };
    }

    private static bool Given(ParseResult parse, Option option) => parse.GetResult(option) is { Implicit: false };

    /// <summary>
    /// Without <c>--window-size</c>, the bounds that hold whatever window the tuner picks: a negative <c>--max-growth</c>,
    /// a <c>--rank</c> or <c>--max-rank</c> below 1, a <c>--rank</c> above a given <c>--max-rank</c>. They used to fail only after the tuner's inner backtests (seconds to
    /// minutes); the messages are the model's own, with the window-dependent upper bound left out (not chosen yet).
    /// </summary>
    private void ValidateWithoutWindow(ParseResult parse, bool mlnet)
    {
        if (parse.GetValue(MaxGrowth) is { } growth)
        {
            // The model's own check, on a window that passes every other one.
            Validate(new SsaForecasterOptions { WindowSize = 2, SeriesLength = 3, TrainSize = 5, MaxGrowth = new GrowthRatio(1, growth) });
        }

        if (parse.GetValue(MaxRank) is { } maxRank && maxRank < 1)
        {
            throw SsaOptionNames.ForCli(new ArgumentException($"The max rank should be in [1, windowSize) (got {maxRank}).", nameof(SsaForecasterOptions.MaxRank)));
        }

        if (parse.GetValue(Rank) is { } rank && rank < 1)
        {
            throw SsaOptionNames.ForCli(new ArgumentException($"The rank should be at least 1 and at most the max rank (got {rank}).", nameof(SsaForecasterOptions.Rank)));
        }

        if (!mlnet && parse.GetValue(Rank) is { } fixedRank && parse.GetValue(MaxRank) is { } cap && fixedRank > cap)
        {
            // A given --max-rank is the rank's limit whatever the window (ML.NET's mode ignores it, so not there).
            throw SsaOptionNames.ForCli(new ArgumentException($"The rank should be in [1, {cap}] (got {fixedRank}).", nameof(SsaForecasterOptions.Rank)));
        }
    }

    private static void Validate(SsaForecasterOptions options)
    {
        try
        {
            options.Validate();
        }
        catch (ArgumentException e)
        {
            // The library names its own parameters (WindowSize); the user typed --window-size.
            throw SsaOptionNames.ForCli(e);
        }
    }

    /// <summary>
    /// The window under <c>--compat mlnet</c> when <c>--window-size</c> is omitted, from the season alone as ML.NET
    /// advises (windowSize more than twice the season: 2s + 1, else s + 1 when the training is too short for it),
    /// without the auto-tuner: the MlNet mode uses none of the tuner's rank, combination or bound calibration, and
    /// running it cost the whole inner backtest for a window and a season.
    /// With no season (s ≤ 1) there is nothing to derive the window from: null, and the caller lets the auto-tuner choose
    /// it on the data's scale, as before session 11, so an omitted window stays a complete call in both modes.
    /// </summary>
    /// <exception cref="ArgumentException">The training is too short for s + 1.</exception>
    private static SsaTuning? MlNetWindow(ReadOnlySpan<double> training, int? givenSeason, int trainValues, IProgress<string> progress)
    {
        int season = givenSeason ?? SeasonalityDetector.Detect(training);
        if (season <= 1)
        {
            progress.Report($"no season ({season}): --compat mlnet has no season to derive the window from, so the auto-tuner's backtest chooses it (its window only)");
            return null;
        }

        progress.Report($"season: {season}");

        foreach (int l in (int[])[(2 * season) + 1, season + 1])
        {
            if (trainValues > 2 * l)
            {
                progress.Report($"window: {l} (--compat mlnet: from season {season}, no tuning)");
                return new SsaTuning(l, Math.Min(l - 1, SsaAutoTuner.DefaultMaxRank), season, double.NaN);
            }
        }

        throw new ArgumentException($"--compat mlnet chooses the window from the season ({season}), and even {season + 1} needs more than {2 * (season + 1)} training values (there are {trainValues}): pass --window-size or a longer --train-size.");
    }

    /// <summary>
    /// The time-grid slots the model trains on: through the slot of the last training row that has a value. A training
    /// row without a value at the end would otherwise bring its slot into training, filled by interpolation towards the
    /// first row after training (or held by that row itself when both share the slot), so training would see a test value.
    /// </summary>
    private static int TrainingSlots(TimeGrid grid, double[] values, int trainSize)
    {
        for (int row = trainSize - 1; row >= 0; row--)
        {
            if (double.IsFinite(values[row]))
            {
                return grid.SlotOf(row) + 1;
            }
        }

        throw new ArgumentException($"The {trainSize} training rows (--train-size) have no value.");
    }

    private static int CountValues(ReadOnlySpan<double> values)
    {
        int count = 0;
        foreach (double v in values)
        {
            count += double.IsNaN(v) ? 0 : 1;
        }

        return count;
    }

    private static string TooFew(int window, int trainSize, int trainValues, bool gridded) => gridded
        ? $"Too few slots for the window: training needs more than 2 × {window} = {2 * window} time-grid slots, --train-size {trainSize} rows span {trainValues}."
        : trainValues == trainSize
            ? $"Too few rows for the window: training needs more than 2 × {window} = {2 * window} rows, --train-size is {trainSize}."
            : $"Too few values for the window: training needs more than 2 × {window} = {2 * window} values, the {trainSize} training rows (--train-size) have {trainValues} ({trainSize - trainValues} missing).";

    /// <summary>Says on stderr which given options the model will not use, instead of ignoring them silently.</summary>
    private void WarnIgnored(ParseResult parse, bool mlnet, IProgress<string> progress)
    {
        if (parse.GetValue(Rank) is { } rank && !string.Equals(parse.GetValue(RankSelection), "Fixed", StringComparison.OrdinalIgnoreCase))
        {
            progress.Report($"note: --rank {rank} is ignored: as in ML.NET, the rank is used only with --rank-selection Fixed ({parse.GetValue(RankSelection)} selects it).");
        }

        if (mlnet && parse.GetValue(MaxRank) is { } maxRank)
        {
            progress.Report($"note: --max-rank {maxRank} is ignored with --compat mlnet: ML.NET's forecaster never passes MaxRank on (it uses window size − 1).");
        }
    }

    /// <summary>
    /// Fails before the work, not after minutes of tuning, when <paramref name="path"/> cannot be written
    /// (<see cref="Commands.CliPaths.RequireWritableFile"/>).
    /// </summary>
    private static void CheckWritable(string path) => Commands.CliPaths.RequireWritableFile("--output", path);

    /// <summary>The series on its time grid; a series the grid refuses (out of order, a gap of months) names the way out.</summary>
    private static TimeGrid? TimeGridOf(SeriesCsv series, int trainRows)
    {
        try
        {
            // The step comes from the training rows' timestamps: the test rows must not shape what the model trains on.
            return series.ToTimeGrid(trainRows);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"{CliErrorText.Of(e)} Pass --grid rows to use the rows in file order, one step per row.", e);
        }
    }
}
