using MetricsPipeline.Analytics.Windows;
using MetricsPipeline.Sinks.Batching;
using MetricsPipeline.Sinks.InfluxDb;
using Microsoft.Extensions.Configuration;

namespace MetricsPipeline.Host.Hosting;

/// <summary>
/// Reads <see cref="PipelineSettings"/> from configuration (appsettings.json, then environment variables such as
/// <c>Kafka__BootstrapServers</c> or <c>InfluxDb__Token</c>). Fails fast with a message naming the setting.
/// </summary>
public static class PipelineConfiguration
{
    /// <summary>Builds the configuration from an optional JSON file plus environment variables.</summary>
    /// <exception cref="ArgumentException">The file is given but missing or not valid JSON.</exception>
    public static IConfiguration Load(string? path)
    {
        var builder = new ConfigurationBuilder();
        if (path is not null)
        {
            var full = Path.GetFullPath(path);
            if (!File.Exists(full))
            {
                throw new ArgumentException($"--config: the file '{full}' does not exist.");
            }

            builder.AddJsonFile(full, optional: false, reloadOnChange: false);
        }

        builder.AddEnvironmentVariables();
        try
        {
            return builder.Build();
        }
        catch (Exception ex) when (ex is FormatException or InvalidDataException or System.Text.Json.JsonException)
        {
            throw new ArgumentException($"--config: '{path}' is not valid JSON: {ex.Message}", ex);
        }
    }

    /// <summary>Binds and validates the settings.</summary>
    /// <exception cref="ArgumentException">A setting is missing, malformed or out of range; the message names it.</exception>
    public static PipelineSettings Bind(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var settings = new PipelineSettings();
        try
        {
            configuration.GetSection("Kafka").Bind(settings.Kafka);
            var windows = configuration.GetSection("Analytics:Windows");
            // Lists are replaced, not appended to the defaults (the binder would append).
            var defaults = new WindowOptions();
            windows.Bind(settings.Windows);
            settings.Windows.Sizes = windows.GetSection("Sizes").Exists() ? windows.GetSection("Sizes").Get<List<TimeSpan>>() ?? [] : defaults.Sizes;
            settings.Windows.Quantiles = windows.GetSection("Quantiles").Exists() ? windows.GetSection("Quantiles").Get<List<double>>() ?? [] : defaults.Quantiles;
            settings.Windows.KeepSketchesFor = windows.GetSection("KeepSketchesFor").Exists() ? windows.GetSection("KeepSketchesFor").Get<List<TimeSpan>>() ?? [] : defaults.KeepSketchesFor;
            settings.Windows.CounterSuffixes = windows.GetSection("CounterSuffixes").Exists() ? windows.GetSection("CounterSuffixes").Get<List<string>>() ?? [] : defaults.CounterSuffixes;
            settings.Rollups = BindRollups(configuration.GetSection("Analytics:Rollups"));
            if (configuration["Analytics:TickInterval"] is not null)
            {
                settings.TickInterval = configuration.GetValue<TimeSpan>("Analytics:TickInterval");
            }

            var influx = configuration.GetSection(InfluxDbOptions.SectionName);
            if (influx.Exists())
            {
                settings.InfluxDb = new InfluxDbOptions();
                influx.Bind(settings.InfluxDb);
            }

            RouteRetentionPolicies(settings);
            settings.OutputDirectory = configuration["Output:Directory"];
            var sink = new BatchingSinkOptions();
            configuration.GetSection("Sink").Bind(sink);
            settings.Sink = sink;
        }
        catch (InvalidOperationException ex)
        {
            // The binder's message names the key and the expected type.
            throw new ArgumentException(ex.Message, ex);
        }

        settings.Validate();
        return settings;
    }

    /// <summary>
    /// Binds <c>Analytics:Rollups</c> when the section exists (an empty <c>"Rollups": {}</c> enables the defaults).
    /// Levels and quantiles replace the defaults instead of being appended to them.
    /// </summary>
    private static RollupOptions? BindRollups(IConfigurationSection section)
    {
        if (!section.Exists() && section.Value is null)
        {
            return null;
        }

        if (section.GetValue<bool?>("Enabled") == false)
        {
            return null;
        }

        var defaults = new RollupOptions();
        var rollups = new RollupOptions();
        section.Bind(rollups);
        rollups.Levels = section.GetSection("Levels").Exists() ? section.GetSection("Levels").Get<List<RollupLevel>>() ?? [] : defaults.Levels;
        rollups.Quantiles = section.GetSection("Quantiles").Exists() ? section.GetSection("Quantiles").Get<List<double>>() ?? [] : defaults.Quantiles;
        return rollups;
    }

    /// <summary>
    /// Makes every resolution land in its retention policy: with rollups, the source windows take the source level's
    /// policy unless <c>Analytics:Windows:RetentionPolicies</c> names one (so each result names its policy), and the
    /// InfluxDB sink routes by the <c>window</c> tag with the same map (explicit <c>InfluxDb:RetentionPolicies</c> entries win).
    /// </summary>
    private static void RouteRetentionPolicies(PipelineSettings settings)
    {
        if (settings.Rollups is { } rollups && !string.IsNullOrWhiteSpace(rollups.Source.RetentionPolicy))
        {
            settings.Windows.RetentionPolicies.TryAdd(WindowOptions.FormatSize(rollups.Source.Size), rollups.Source.RetentionPolicy);
        }

        if (settings.InfluxDb is { } influx)
        {
            foreach (var (window, policy) in settings.RetentionPoliciesByWindow())
            {
                influx.RetentionPolicies.TryAdd(window, policy);
            }
        }
    }
}
