namespace MetricsPipeline.Forecasting.Streaming;

/// <summary>Settings of the stream's forecasting stage (configuration section <c>Analytics:Forecasting</c>).</summary>
public sealed class StreamForecastOptions
{
    /// <summary>Whether the stage runs. The default is true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The series to forecast. The default (empty) is <see cref="ForecastSeriesOptions.Defaults"/>: request rate, cpu and p95 latency per service on 1-minute windows.</summary>
    public IList<ForecastSeriesOptions> Series { get; set; } = [];

    /// <summary>Forecast steps (windows ahead). The default is 60 (one hour of 1-minute windows).</summary>
    public int Horizon { get; set; } = 60;

    /// <summary>Windows buffered before a series trains its first model in the stream. The default is 120.</summary>
    public int TrainSize { get; set; } = 120;

    /// <summary>SSA window of models trained in the stream. The default is 30; it must be less than half of <see cref="TrainSize"/>.</summary>
    public int WindowSize { get; set; } = 30;

    /// <summary>Largest rank of models trained in the stream. The default is 10.</summary>
    public int MaxRank { get; set; } = 10;

    /// <summary>Confidence level of the bounds. The default is 0.95.</summary>
    public float ConfidenceLevel { get; set; } = 0.95f;

    /// <summary>
    /// Matured errors per horizon step that recalibrate each series' bounds online
    /// (<see cref="SsaForecasterOptions.RecalibrationWindow"/>; 0 turns it off). Why: the noise variances come from the
    /// training windows and the error level drifts after training; offline, with 200, every development series' bounds
    /// cover 90–98 %. It scores at most 12 steps (the others are interpolated), so it costs 16 × min(12, Horizon) ×
    /// (Horizon + window) bytes per series (≈ 31 KB at Horizon 60), hence also the smaller default than the CLI's 200.
    /// The default is 100.
    /// </summary>
    public int RecalibrationWindow { get; set; } = 100;

    /// <summary>The model store the stage loads from (written by <c>metrics-pipeline retrain</c>); null (the default) trains in the stream only.</summary>
    public string? ModelDirectory { get; set; }

    /// <summary>How often (processing time) the stage looks for new model versions. The default is 30 s.</summary>
    public TimeSpan ReloadInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Load new versions even when their backtest score is worse than the running model's. The default is false.</summary>
    public bool AcceptWorseModels { get; set; }

    /// <summary>
    /// Coverage guard of stored models: a new version whose 95 % (<see cref="ConfidenceLevel"/>) bounds covered on
    /// average less than this share of the backtest values over the horizon (<c>v{N}.json</c>'s <c>Coverage</c>) is not
    /// loaded in place of a model whose coverage is at least this, whatever its MASE, unless it was promoted
    /// (<c>retrain --promote</c>); <see cref="AcceptWorseModels"/> does not lift it. Why: a v2 whose bounds covered
    /// 79 % at step 1 scored a lower MASE and was loaded, and its alerts on the bounds fired far too often. 0 turns the
    /// guard off. The default is 0.85.
    /// </summary>
    public double MinModelCoverage { get; set; } = 0.85;

    /// <summary>A series missing for at most this many windows is filled with its last value; a longer gap restarts it. The default is 10.</summary>
    public int MaxGapSteps { get; set; } = 10;

    /// <summary>
    /// Most series that train in one batch of windows; the others keep buffering and train in later batches, so a
    /// fleet that starts together does not stall the pipeline for one long batch (10 000 series take ~10 s to train).
    /// The default is 1000.
    /// </summary>
    public int MaxTrainingsPerBatch { get; set; } = 1000;

    /// <summary>
    /// The horizon steps written as <c>forecast</c> points (listeners always get every step). The default (null) is
    /// 1, 5, 15, 30 and 60, those within <see cref="Horizon"/>, plus <see cref="Horizon"/> itself: writing all 60 steps
    /// multiplied the demo's output 7-fold and its sinks fell behind.
    /// </summary>
    public int[]? WriteSteps { get; set; }

    /// <summary>Write every horizon step (overrides <see cref="WriteSteps"/>). The default is false.</summary>
    public bool WriteEveryStep { get; set; }

    /// <summary>The steps (1-based, ascending, within the horizon) written as points.</summary>
    public IReadOnlyList<int> EffectiveWriteSteps => WriteEveryStep
        ? Enumerable.Range(1, Horizon).ToArray()
        : (WriteSteps ?? [1, 5, 15, 30, 60, Horizon]).Where(k => k >= 1 && k <= Horizon).Distinct().Order().ToArray();

    /// <summary>The configured series, or the defaults when none are configured.</summary>
    public IReadOnlyList<ForecastSeriesOptions> EffectiveSeries => Series.Count == 0 ? ForecastSeriesOptions.Defaults() : Series.ToList();

    /// <summary>Checks the settings; throws <see cref="ArgumentException"/> naming the bad one.</summary>
    public void Validate()
    {
        if (Horizon < 1)
        {
            throw new ArgumentException("Analytics:Forecasting:Horizon must be positive.");
        }

        if (WindowSize < 2 || TrainSize <= 2 * WindowSize)
        {
            throw new ArgumentException($"Analytics:Forecasting: TrainSize ({TrainSize}) must exceed 2 × WindowSize ({WindowSize}), and WindowSize must be at least 2.");
        }

        if (MaxRank < 1 || MaxRank >= WindowSize)
        {
            throw new ArgumentException($"Analytics:Forecasting:MaxRank must be in [1, WindowSize) (got {MaxRank}).");
        }

        if (!(ConfidenceLevel > 0 && ConfidenceLevel < 1))
        {
            throw new ArgumentException("Analytics:Forecasting:ConfidenceLevel must lie in (0, 1).");
        }

        if (ReloadInterval <= TimeSpan.Zero)
        {
            throw new ArgumentException("Analytics:Forecasting:ReloadInterval must be positive.");
        }

        if (MaxTrainingsPerBatch < 1)
        {
            throw new ArgumentException("Analytics:Forecasting:MaxTrainingsPerBatch must be positive.");
        }

        if (RecalibrationWindow < 0)
        {
            throw new ArgumentException("Analytics:Forecasting:RecalibrationWindow must not be negative.");
        }

        if (!(MinModelCoverage >= 0 && MinModelCoverage <= 1))
        {
            throw new ArgumentException($"Analytics:Forecasting:MinModelCoverage must lie in [0, 1] (got {MinModelCoverage}).");
        }

        if (MaxGapSteps < 0)
        {
            throw new ArgumentException("Analytics:Forecasting:MaxGapSteps must not be negative.");
        }

        foreach (var s in EffectiveSeries)
        {
            s.Validate();
        }

        // The series key is source and group only (not Name or Combine): two such entries would feed one forecaster and
        // share one model-store directory.
        var shared = EffectiveSeries
            .GroupBy(s => (s.Source, s.GroupBy ?? string.Empty))
            .FirstOrDefault(g => g.Count() > 1);
        if (shared is not null)
        {
            throw new ArgumentException(
                $"Analytics:Forecasting:Series: {string.Join(" and ", shared.Select(s => $"'{s.MetricName}'"))} both forecast {shared.Key.Source} grouped by '{shared.Key.Item2}', so they would be one series (one forecaster, one model-store directory); use another statistic, window or GroupBy, or keep one of them.");
        }
    }

    /// <summary>
    /// Checks the series' <see cref="ForecastSeriesOptions.Window"/> against the window sizes the pipeline produces (as
    /// the <c>window</c> tag writes them: <c>10s</c>, <c>1m</c>, a rollup's <c>5m</c>): a series on another window is
    /// never fed and silently never forecasts. Returns one warning per such series.
    /// </summary>
    /// <param name="producedWindows">The window tags the pipeline writes (its window sizes and rollup levels).</param>
    /// <exception cref="ArgumentException">No configured series is on a produced window: nothing would ever be forecast.</exception>
    public IReadOnlyList<string> CheckWindows(IReadOnlyCollection<string> producedWindows)
    {
        ArgumentNullException.ThrowIfNull(producedWindows);
        var produced = string.Join(", ", producedWindows);
        var warnings = new List<string>();
        var series = EffectiveSeries;
        foreach (var s in series.Where(s => !producedWindows.Contains(s.Window, StringComparer.Ordinal)))
        {
            // "60s" is the same length as "1m", but the window tag says "1m", and the stage matches the tag.
            var same = producedWindows.FirstOrDefault(w => SameLength(w, s.Window));
            warnings.Add(same is not null
                ? $"Analytics:Forecasting:Series ({s.Source}): Window '{s.Window}' is written '{same}' by the pipeline; write it so, or the series is never forecast"
                : $"Analytics:Forecasting:Series ({s.Source}): Window '{s.Window}' is not a window size the pipeline produces ({produced}): the series is never forecast");
        }

        if (warnings.Count == series.Count)
        {
            throw new ArgumentException($"Analytics:Forecasting: no series is on a window the pipeline produces ({produced}), so nothing would ever be forecast: {string.Join("; ", warnings)}");
        }

        return warnings;
    }

    private static bool SameLength(string a, string b)
    {
        try
        {
            return WindowText.Parse(a) == WindowText.Parse(b);
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>The SSA options of a model trained in the stream on <paramref name="trainSize"/> windows.</summary>
    public SsaForecasterOptions ModelOptions(int trainSize) => new()
    {
        WindowSize = WindowSize,
        SeriesLength = WindowSize + 1,
        TrainSize = trainSize,
        Horizon = Horizon,
        MaxRank = MaxRank,
        ConfidenceLevel = ConfidenceLevel,
        VariableHorizon = true,
        RecalibrationWindow = RecalibrationWindow,
    };
}
