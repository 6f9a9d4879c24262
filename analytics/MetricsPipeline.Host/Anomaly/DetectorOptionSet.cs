using System.CommandLine;
using MetricsPipeline.Anomaly;
using MetricsPipeline.Anomaly.Auto;
using MetricsPipeline.Anomaly.Sequential;
using MetricsPipeline.Anomaly.Ssa;
using MetricsPipeline.Anomaly.SrCnn;

namespace MetricsPipeline.Host.Anomaly;

/// <summary>
/// The detector names and their parameters as <c>--kebab-case</c> options, shared by <c>detect</c> and <c>nab</c>.
/// Unset options take the defaults of the detector's options class (ML.NET's defaults for the ML.NET detectors).
/// </summary>
internal sealed class DetectorOptionSet
{
    /// <summary>Every accepted detector name.</summary>
    public static readonly string[] Names = ["iid-spike", "ssa-spike", "iid-changepoint", "ssa-changepoint", "srcnn", "srcnn-entire", "auto"];

    public Option<string> Detector { get; } = new("--detector") { Description = "Detector: " + string.Join(", ", Names) + ".", Required = true };

    public Option<double?> Confidence { get; } = new("--confidence") { Description = "Confidence in percent (spike default 99, change point 95)." };

    public Option<int?> PvalueHistoryLength { get; } = new("--pvalue-history-length") { Description = "Spike p-value history length (default 100)." };

    public Option<AnomalySide?> Side { get; } = new("--side") { Description = "Positive, Negative or TwoSided (default TwoSided)." };

    public Option<int?> ChangeHistoryLength { get; } = new("--change-history-length") { Description = "Change-point history length (default 20)." };

    public Option<MartingaleType?> Martingale { get; } = new("--martingale") { Description = "None, Power or Mixture (default Power)." };

    public Option<double?> PowerMartingaleEpsilon { get; } = new("--power-martingale-epsilon") { Description = "Power martingale epsilon (default 0.1)." };

    public Option<int?> TrainingWindowSize { get; } = new("--training-window-size") { Description = "SSA training window (default 100)." };

    public Option<int?> SeasonalWindowSize { get; } = new("--seasonal-window-size") { Description = "SSA seasonal window (default 10)." };

    public Option<ErrorFunction?> ErrorFunctionOption { get; } = new("--error-function") { Description = "SSA error function (default SignedDifference)." };

    public Option<int?> WindowSize { get; } = new("--window-size") { Description = "SR-CNN window size (default 64)." };

    public Option<int?> BackAddWindowSize { get; } = new("--back-add-window-size") { Description = "SR-CNN back-add window (default 5)." };

    public Option<int?> LookaheadWindowSize { get; } = new("--lookahead-window-size") { Description = "SR-CNN lookahead window (default 5)." };

    public Option<int?> AveragingWindowSize { get; } = new("--averaging-window-size") { Description = "SR-CNN averaging window (default 3)." };

    public Option<int?> JudgementWindowSize { get; } = new("--judgement-window-size") { Description = "SR-CNN judgement window (default 21)." };

    public Option<double?> Threshold { get; } = new("--threshold") { Description = "SR-CNN alert threshold (default 0.3)." };

    public Option<double?> Sensitivity { get; } = new("--sensitivity") { Description = "SR-CNN entire sensitivity (default 99)." };

    public Option<int?> BatchSize { get; } = new("--batch-size") { Description = "SR-CNN entire batch size, -1 or >= 12 (default 1024)." };

    public Option<int?> Period { get; } = new("--period") { Description = "SR-CNN entire period, 0 = none (default 0)." };

    public Option<SrCnnDeseasonalityMode?> Deseasonality { get; } = new("--deseasonality") { Description = "Stl, Mean or Median (default Stl)." };

    public Option<SrCnnDetectMode?> DetectMode { get; } = new("--detect-mode") { Description = "AnomalyOnly, AnomalyAndExpectedValue or AnomalyAndMargin (default AnomalyOnly)." };

    public Option<int?> HistoryLength { get; } = new("--history-length") { Description = "auto: history rows (default 1000)." };

    public Option<int?> WarmUp { get; } = new("--warm-up") { Description = "auto: rows before scoring (default 150)." };

    public Option<double?> ReferenceQuantile { get; } = new("--reference-quantile") { Description = "auto: reference quantile (default 0.999)." };

    public Option<double?> AlertLevel { get; } = new("--alert-level") { Description = "auto: report level (default 0.5)." };

    public Option<int?> RefractoryLength { get; } = new("--refractory-length") { Description = "auto: refractory rows (default 120)." };

    public Option<double?> RefractoryDamping { get; } = new("--refractory-damping") { Description = "auto: damping in refractory (default 0.5)." };

    public Option<double?> DifferenceWeight { get; } = new("--difference-weight") { Description = "auto: difference weight (default 1.5)." };

    public Option<double?> SeasonalWeight { get; } = new("--seasonal-weight") { Description = "auto: seasonal weight (default 1)." };

    public Option<double?> NoveltyWeight { get; } = new("--novelty-weight") { Description = "auto: novelty weight (default 1)." };

    public Option<double?> ValueWeight { get; } = new("--value-weight") { Description = "auto: robust value z weight (default 0.2)." };

    public Option<double?> ValueTail { get; } = new("--value-tail") { Description = "auto: value z counts outside these tail quantiles (default 0.02)." };

    public Option<double?> TailScaleFactor { get; } = new("--tail-scale-factor") { Description = "auto: minimum scale as a fraction of the tail-implied deviation (default 0.2)." };

    public Option<double?> RecurrenceFraction { get; } = new("--recurrence-fraction") { Description = "auto: recurrence discount fraction (default 0.8)." };

    public Option<int?> RecurrenceAllowance { get; } = new("--recurrence-allowance") { Description = "auto: tolerated recurrences (default 15)." };

    public Option<double?> RecurrenceDiscount { get; } = new("--recurrence-discount") { Description = "auto: divisor for recurring deviations (default 100)." };

    public Option<double?> BypassFactor { get; } = new("--bypass-factor") { Description = "auto: refractory bypass factor (default 1.1)." };

    public Option<int?> Smoothing { get; } = new("--smoothing") { Description = "auto: smoothing rows (default 3)." };

    public Option<int?> MaxPeriod { get; } = new("--max-period") { Description = "auto: longest period searched (default 600)." };

    public Option<double?> MinSeasonalCorrelation { get; } = new("--min-seasonal-correlation") { Description = "auto: minimum autocorrelation (default 0.6)." };

    /// <summary>Adds every option to the command.</summary>
    public void AddTo(Command command)
    {
        foreach (var option in All())
        {
            command.Options.Add(option);
        }
    }

    /// <summary>Builds the detector chosen on the command line (validated once, up front).</summary>
    /// <exception cref="ArgumentException">Unknown name, an unavailable detector or a bad parameter.</exception>
    /// <param name="parse">The parsed command line.</param>
    /// <param name="engine">ML.NET's prediction-engine semantics (the SSA detectors read the forecast after consuming).</param>
    public DetectorChoice Resolve(ParseResult parse, bool engine = false)
    {
        // Any case, as every enum-like option of the program takes its values; the canonical name from here on.
        var given = parse.GetValue(Detector) ?? string.Empty;
        var name = Names.FirstOrDefault(n => n.Equals(given, StringComparison.OrdinalIgnoreCase)) ?? given;
        try
        {
            return ResolveCore(parse, engine, name);
        }
        catch (ArgumentException e) when (OptionOf(name, e.ParamName) is { } option)
        {
            // The detectors name their own parameters (historyLength for both history options, epsilon); the user typed an option.
            throw new ArgumentException($"{option}: {TextOf(e)}", e);
        }
    }

    /// <summary>
    /// The options given on the command line that <paramref name="detector"/> does not read (each detector reads its own
    /// few; the others used to be ignored without a word), by name.
    /// </summary>
    public IEnumerable<string> Unused(ParseResult parse, string detector)
    {
        var used = Used(detector);
        foreach (var option in All())
        {
            if (option != Detector && parse.GetResult(option) is { Implicit: false } && !used.Contains(option))
            {
                yield return option.Name;
            }
        }
    }

    private Option[] All() =>
    [
        Detector, Confidence, PvalueHistoryLength, Side, ChangeHistoryLength, Martingale, PowerMartingaleEpsilon,
        TrainingWindowSize, SeasonalWindowSize, ErrorFunctionOption, WindowSize, BackAddWindowSize, LookaheadWindowSize,
        AveragingWindowSize, JudgementWindowSize, Threshold, Sensitivity, BatchSize, Period, Deseasonality, DetectMode,
        HistoryLength, WarmUp, ReferenceQuantile, AlertLevel, RefractoryLength, RefractoryDamping, DifferenceWeight,
        SeasonalWeight, NoveltyWeight, ValueWeight, ValueTail, TailScaleFactor, RecurrenceFraction, RecurrenceAllowance, RecurrenceDiscount, BypassFactor, Smoothing, MaxPeriod, MinSeasonalCorrelation,
    ];

    // The options each detector reads in ResolveCore.
    private HashSet<Option> Used(string detector) => detector switch
    {
        "iid-spike" => [Confidence, PvalueHistoryLength, Side],
        "iid-changepoint" => [Confidence, ChangeHistoryLength, Martingale, PowerMartingaleEpsilon],
        "ssa-spike" => [Confidence, PvalueHistoryLength, Side, TrainingWindowSize, SeasonalWindowSize, ErrorFunctionOption, Martingale, PowerMartingaleEpsilon],
        "ssa-changepoint" => [Confidence, ChangeHistoryLength, Side, TrainingWindowSize, SeasonalWindowSize, ErrorFunctionOption, Martingale, PowerMartingaleEpsilon],
        "srcnn" => [WindowSize, BackAddWindowSize, LookaheadWindowSize, AveragingWindowSize, JudgementWindowSize, Threshold],
        "srcnn-entire" => [Threshold, Sensitivity, BatchSize, Period, Deseasonality, DetectMode],
        "auto" => [HistoryLength, WarmUp, ReferenceQuantile, AlertLevel, RefractoryLength, RefractoryDamping, DifferenceWeight, SeasonalWeight, NoveltyWeight, ValueWeight, BypassFactor, ValueTail, RecurrenceDiscount, RecurrenceAllowance, RecurrenceFraction, TailScaleFactor, Smoothing, MaxPeriod, MinSeasonalCorrelation],
        _ => [.. All()],
    };

    /// <summary>The option behind a detector's parameter name, or null when it names none.</summary>
    private static string? OptionOf(string detector, string? parameter) => parameter switch
    {
        "confidence" or "Confidence" => "--confidence",
        "historyLength" or "HistoryLength" => detector switch
        {
            "iid-spike" or "ssa-spike" => "--pvalue-history-length",
            "iid-changepoint" or "ssa-changepoint" => "--change-history-length",
            _ => null,
        },
        "epsilon" or "PowerMartingaleEpsilon" => "--power-martingale-epsilon",
        "TrainingWindowSize" => "--training-window-size",
        "SeasonalityWindowSize" => "--seasonal-window-size",
        _ => null,
    };

    /// <summary>The message without the parameter suffix and the "Actual value was" line the runtime adds (the value follows as "got").</summary>
    private static string TextOf(ArgumentException e)
    {
        string text = e.Message;
        int cut = text.IndexOf($" (Parameter '{e.ParamName}')", StringComparison.Ordinal);
        if (cut >= 0)
        {
            text = text[..cut];
        }

        // "historyLength ('0') must be greater than or equal to '2'." reads "the value ('0') ...".
        text = text.Replace($"{e.ParamName} ('", "the value ('", StringComparison.Ordinal);
        if (e is ArgumentOutOfRangeException { ActualValue: { } actual } && !text.Contains("got", StringComparison.Ordinal) && !text.Contains("('", StringComparison.Ordinal))
        {
            text = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{text.TrimEnd('.')} (got {actual}).");
        }

        return text;
    }

    private DetectorChoice ResolveCore(ParseResult parse, bool engine, string name)
    {
        switch (name)
        {
            case "iid-spike":
            {
                var o = new IidSpikeDetectorOptions();
                o.Confidence = parse.GetValue(Confidence) ?? o.Confidence;
                o.PvalueHistoryLength = parse.GetValue(PvalueHistoryLength) ?? o.PvalueHistoryLength;
                o.Side = parse.GetValue(Side) ?? o.Side;
                return Check(new DetectorChoice(name, DetectorColumns.PValue, () => new IidSpikeDetector(o), null));
            }

            case "iid-changepoint":
            {
                var o = new IidChangePointDetectorOptions();
                o.Confidence = parse.GetValue(Confidence) ?? o.Confidence;
                o.ChangeHistoryLength = parse.GetValue(ChangeHistoryLength) ?? o.ChangeHistoryLength;
                o.Martingale = parse.GetValue(Martingale) ?? o.Martingale;
                o.PowerMartingaleEpsilon = parse.GetValue(PowerMartingaleEpsilon) ?? o.PowerMartingaleEpsilon;
                return Check(new DetectorChoice(name, DetectorColumns.PValue | DetectorColumns.Martingale, () => new IidChangePointDetector(o), null));
            }

            case "ssa-spike":
            case "ssa-changepoint":
            {
                var spike = name == "ssa-spike";
                var o = new SsaDetectorOptions { Confidence = spike ? 99 : 95, HistoryLength = spike ? 100 : 20, EngineMode = engine };
                o.Confidence = parse.GetValue(Confidence) ?? o.Confidence;
                o.HistoryLength = (spike ? parse.GetValue(PvalueHistoryLength) : parse.GetValue(ChangeHistoryLength)) ?? o.HistoryLength;
                o.Side = parse.GetValue(Side) ?? o.Side;
                o.TrainingWindowSize = parse.GetValue(TrainingWindowSize) ?? o.TrainingWindowSize;
                o.SeasonalityWindowSize = parse.GetValue(SeasonalWindowSize) ?? o.SeasonalityWindowSize;
                o.ErrorFunction = parse.GetValue(ErrorFunctionOption) ?? o.ErrorFunction;
                o.Martingale = parse.GetValue(Martingale) ?? o.Martingale;
                o.PowerMartingaleEpsilon = parse.GetValue(PowerMartingaleEpsilon) ?? o.PowerMartingaleEpsilon;
                o.Validate();
                var columns = spike ? DetectorColumns.PValue : DetectorColumns.PValue | DetectorColumns.Martingale;
                Func<double[], IAnomalyDetector> create = spike
                    ? values => SsaDetectors.CreateSpike(o, values)
                    : values => SsaDetectors.CreateChangePoint(o, values);
                return new DetectorChoice(name, columns, null, null, create);
            }

            case "srcnn":
            {
                var o = new SrCnnDetectorOptions();
                o.WindowSize = parse.GetValue(WindowSize) ?? o.WindowSize;
                o.BackAddWindowSize = parse.GetValue(BackAddWindowSize) ?? o.BackAddWindowSize;
                o.LookaheadWindowSize = parse.GetValue(LookaheadWindowSize) ?? o.LookaheadWindowSize;
                o.AveragingWindowSize = parse.GetValue(AveragingWindowSize) ?? o.AveragingWindowSize;
                o.JudgementWindowSize = parse.GetValue(JudgementWindowSize) ?? o.JudgementWindowSize;
                o.Threshold = parse.GetValue(Threshold) ?? o.Threshold;
                return Check(new DetectorChoice(name, DetectorColumns.Magnitude, () => new SrCnnDetector(o), null));
            }

            case "srcnn-entire":
            {
                var o = new SrCnnEntireOptions();
                o.Threshold = parse.GetValue(Threshold) ?? o.Threshold;
                o.Sensitivity = parse.GetValue(Sensitivity) ?? o.Sensitivity;
                o.BatchSize = parse.GetValue(BatchSize) ?? o.BatchSize;
                o.Period = parse.GetValue(Period) ?? o.Period;
                o.Deseasonality = parse.GetValue(Deseasonality) ?? o.Deseasonality;
                o.DetectMode = parse.GetValue(DetectMode) ?? o.DetectMode;
                o.Validate();
                var columns = DetectorColumns.Magnitude | o.DetectMode switch
                {
                    SrCnnDetectMode.AnomalyAndExpectedValue => DetectorColumns.Expected,
                    SrCnnDetectMode.AnomalyAndMargin => DetectorColumns.Expected | DetectorColumns.Bounds,
                    _ => DetectorColumns.None,
                };
                return new DetectorChoice(name, columns, null, values => SrCnnEntireDetector.Detect(values, o));
            }

            case "auto":
            {
                var o = new AutoDetectorOptions();
                o.HistoryLength = parse.GetValue(HistoryLength) ?? o.HistoryLength;
                o.WarmUp = parse.GetValue(WarmUp) ?? o.WarmUp;
                o.ReferenceQuantile = parse.GetValue(ReferenceQuantile) ?? o.ReferenceQuantile;
                o.AlertLevel = parse.GetValue(AlertLevel) ?? o.AlertLevel;
                o.RefractoryLength = parse.GetValue(RefractoryLength) ?? o.RefractoryLength;
                o.RefractoryDamping = parse.GetValue(RefractoryDamping) ?? o.RefractoryDamping;
                o.DifferenceWeight = parse.GetValue(DifferenceWeight) ?? o.DifferenceWeight;
                o.SeasonalWeight = parse.GetValue(SeasonalWeight) ?? o.SeasonalWeight;
                o.NoveltyWeight = parse.GetValue(NoveltyWeight) ?? o.NoveltyWeight;
                o.ValueWeight = parse.GetValue(ValueWeight) ?? o.ValueWeight;
                o.BypassFactor = parse.GetValue(BypassFactor) ?? o.BypassFactor;
                o.ValueTail = parse.GetValue(ValueTail) ?? o.ValueTail;
                o.RecurrenceDiscount = parse.GetValue(RecurrenceDiscount) ?? o.RecurrenceDiscount;
                o.RecurrenceAllowance = parse.GetValue(RecurrenceAllowance) ?? o.RecurrenceAllowance;
                o.RecurrenceFraction = parse.GetValue(RecurrenceFraction) ?? o.RecurrenceFraction;
                o.TailScaleFactor = parse.GetValue(TailScaleFactor) ?? o.TailScaleFactor;
                o.Smoothing = parse.GetValue(Smoothing) ?? o.Smoothing;
                o.MaxPeriod = parse.GetValue(MaxPeriod) ?? o.MaxPeriod;
                o.MinSeasonalCorrelation = parse.GetValue(MinSeasonalCorrelation) ?? o.MinSeasonalCorrelation;
                return Check(new DetectorChoice(name, DetectorColumns.None, () => new AutoDetector(o), null));
            }

            default:
                throw new ArgumentException($"Unknown detector '{name}'. Choose one of: {string.Join(", ", Names)}.");
        }
    }

    private static DetectorChoice Check(DetectorChoice choice)
    {
        // Constructing one instance validates the parameters before any data is read.
        _ = choice.CreateStreaming!();
        return choice;
    }
}
