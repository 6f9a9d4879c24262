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

    public Option<int?> Rank { get; } = new("--rank") { Description = "Rank for --rank-selection Fixed." };

    public Option<int?> MaxRank { get; } = new("--max-rank") { Description = "Rank cap (default: window size − 1, or 40 when the window is chosen automatically)." };

    public Option<bool> NoStabilize { get; } = new("--no-stabilize") { Description = "Do not stabilise the recurrence." };

    public Option<bool> VariableHorizon { get; } = new("--variable-horizon") { Description = "Allow forecasts with other horizons." };

    public Option<double?> MaxGrowth { get; } = new("--max-growth") { Description = "Maximum per-point trend growth ratio for stabilisation (e.g. 1.0)." };

    public Option<bool> Adaptive { get; } = new("--adaptive") { Description = "ML.NET's IsAdaptive (accepted; the model is not re-trained online)." };

    public Option<string> Compat { get; } = new("--compat") { Description = "mlnet or default.", DefaultValueFactory = _ => "default" };

    public Option<int?> Season { get; } = new("--season") { Description = "Season length in steps (default: detected on the training rows or slots)." };

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

        bool mlnet = string.Equals(parse.GetValue(Compat), "mlnet", StringComparison.OrdinalIgnoreCase);
        var grid = !mlnet && string.Equals(parse.GetValue(Grid), "time", StringComparison.OrdinalIgnoreCase) ? TimeGridOf(series) : null;
        int trainLength = trainSize;
        if (grid is not null)
        {
            trainLength = grid.SlotsThrough(trainSize);
            progress.Report(FormattableString.Invariant($"time grid: step {grid.StepSeconds} s, {grid.Slots} slots, {grid.RealRows} real, {grid.FilledSlots} filled, {grid.DroppedRows} dropped rows (slot already held); training: {trainSize} rows = {trainLength} slots"));
        }

        int? window = parse.GetValue(WindowSize);
        if (window is { } w && trainLength <= 2 * w)
        {
            throw new ArgumentException(grid is null
                ? $"Too few rows for the window: training needs more than 2 × {w} = {2 * w} rows, --train-size is {trainSize}."
                : $"Too few slots for the window: training needs more than 2 × {w} = {2 * w} time-grid slots, --train-size {trainSize} rows span {trainLength}.");
        }

        var training = grid is null ? values.AsSpan(0, trainSize) : grid.Values[..trainLength];
        var real = grid is null ? default : grid.Real[..trainLength];
        var tuning = SsaAutoTuner.Tune(training, horizon, window, parse.GetValue(Season), progress, parse.GetValue(ConfidenceLevel), real);
        var options = new SsaForecasterOptions
        {
            WindowSize = tuning.WindowSize,
            SeriesLength = parse.GetValue(SeriesLength) ?? tuning.WindowSize + 1,
            TrainSize = trainLength,
            Horizon = horizon,
            ConfidenceLevel = parse.GetValue(ConfidenceLevel),
            RankSelectionMethod = Enum.Parse<RankSelectionMethod>(parse.GetValue(RankSelection) ?? "Exact", ignoreCase: true),
            Rank = parse.GetValue(Rank),
            MaxRank = parse.GetValue(MaxRank) ?? (window is null ? tuning.MaxRank : null),
            ShouldStabilize = !parse.GetValue(NoStabilize),
            VariableHorizon = parse.GetValue(VariableHorizon),
            MaxGrowth = parse.GetValue(MaxGrowth) is { } g ? new GrowthRatio(1, g) : null,
            IsAdaptive = parse.GetValue(Adaptive),
            Compatibility = mlnet ? SsaCompatibility.MlNet : SsaCompatibility.Default,
            BoundScale = tuning.BoundScale,
        };
        options.Validate();
        return (options, tuning, grid, trainSize);
    }

    /// <summary>The series on its time grid; a series the grid refuses (out of order, a gap of months) names the way out.</summary>
    private static TimeGrid? TimeGridOf(SeriesCsv series)
    {
        try
        {
            return series.ToTimeGrid();
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"{CliErrorText.Of(e)} Pass --grid rows to use the rows in file order, one step per row.", e);
        }
    }
}
