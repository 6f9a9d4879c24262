using MetricsPipeline.Analytics.Pipeline;
using MetricsPipeline.Analytics.Windows;
using MetricsPipeline.Forecasting.Store;
using MetricsPipeline.Forecasting.Streaming;
using MetricsPipeline.Host.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace MetricsPipeline.Host.Forecasting;

/// <summary>
/// Creates the window-history writer (section <c>Analytics:History</c>) and the forecasting stage (section
/// <c>Analytics:Forecasting</c>). Without configuration (<c>demo</c>) the forecasting stage runs with its defaults and
/// the history goes to <see cref="PipelineSettings.HistoryDirectory"/> (<c>demo --history-dir</c>, default
/// <c>{--out}/history</c>, with InfluxDB output too), else to <c>{output directory}/history</c> when there is one.
/// </summary>
internal static class ForecastStages
{
    /// <summary>The configured stages, history first.</summary>
    public static IEnumerable<IWindowStage> Create(WindowStageContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var history = context.Configuration?.GetSection("Analytics:History").Get<WindowHistoryOptions>()
            ?? new WindowHistoryOptions
            {
                // demo: history independent of the sink (InfluxDB or files), so retrain has data either way.
                Directory = context.Configuration is not null ? null
                    : !string.IsNullOrWhiteSpace(context.Settings.HistoryDirectory) ? context.Settings.HistoryDirectory
                    : !string.IsNullOrWhiteSpace(context.Settings.OutputDirectory) ? Path.Combine(context.Settings.OutputDirectory, "history")
                    : null,
            };
        if (!string.IsNullOrWhiteSpace(history.Directory))
        {
            yield return new WindowHistoryStage(history, context.Settings.Windows.Quantiles);
        }

        var options = Options(context.Configuration);
        if (options.Enabled)
        {
            var store = string.IsNullOrWhiteSpace(options.ModelDirectory) ? null : new ModelStore(options.ModelDirectory);
            var engine = new StreamForecastEngine(options, store, context.Time);
            yield return new ForecastStage(
                engine,
                context.Settings.Windows.Quantiles.Select(WindowOptions.FormatQuantile).ToList(),
                context.LoggerFactory.CreateLogger<ForecastStage>());
        }
    }

    /// <summary>Binds <c>Analytics:Forecasting</c> (defaults when absent).</summary>
    /// <exception cref="ArgumentException">A value cannot be converted (the message names the setting).</exception>
    public static StreamForecastOptions Options(IConfiguration? configuration)
    {
        try
        {
            var section = configuration?.GetSection("Analytics:Forecasting");
            var options = section?.Get<StreamForecastOptions>() ?? new StreamForecastOptions();

            // The binder drops a list element it cannot convert (e.g. Combine = Median) without a word, and an emptied
            // list means the built-in series: bind each element alone so its error surfaces.
            var configured = section?.GetSection("Series").GetChildren().ToList() ?? [];
            if (configured.Count != options.Series.Count)
            {
                foreach (var element in configured)
                {
                    _ = element.Get<ForecastSeriesOptions>();
                }

                throw new ArgumentException($"Analytics:Forecasting:Series: {configured.Count - options.Series.Count} of {configured.Count} series could not be read.");
            }

            return options;
        }
        catch (InvalidOperationException ex)
        {
            throw new ArgumentException($"Analytics:Forecasting: {ex.Message}", ex);
        }
    }

    /// <summary>
    /// Checks <c>Analytics:Forecasting</c> as <c>run</c> starts, so a bad series fails there with a message instead of
    /// as an unhandled exception once the stages are built, and a series on a window the pipeline does not produce
    /// (<c>Analytics:Windows:Sizes</c> and the rollup levels) is named instead of silently never forecasting.
    /// </summary>
    /// <returns>Warnings to print: one per series on a window the pipeline does not produce.</returns>
    /// <exception cref="ArgumentException">A setting is invalid (the message names it), or no series is on a produced window.</exception>
    public static IReadOnlyList<string> Validate(IConfiguration? configuration, PipelineSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var quantiles = settings.Windows.Quantiles;
        var options = Options(configuration);
        if (!options.Enabled)
        {
            return [];
        }

        options.Validate();
        foreach (var series in options.EffectiveSeries)
        {
            try
            {
                WindowText.Parse(series.Window);
            }
            catch (ArgumentException ex)
            {
                throw new ArgumentException($"Analytics:Forecasting:Series ({series.Source}): Window {CliErrorTextOf(ex)}", ex);
            }
        }

        _ = new ServiceSeriesAggregator(options.EffectiveSeries, quantiles.Select(WindowOptions.FormatQuantile).ToList());
        return options.CheckWindows(ProducedWindows(settings));
    }

    /// <summary>The window tags the pipeline writes: its window sizes, then the rollup levels (which the stages see too).</summary>
    public static IReadOnlyList<string> ProducedWindows(PipelineSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var sizes = settings.Windows.Sizes.AsEnumerable();
        if (settings.Rollups is { } rollups)
        {
            sizes = sizes.Concat(rollups.Levels.Select(l => l.Size));
        }

        return sizes.Select(WindowOptions.FormatSize).Distinct(StringComparer.Ordinal).ToList();
    }

    private static string CliErrorTextOf(ArgumentException ex) => Commands.CliErrorText.Of(ex);
}
