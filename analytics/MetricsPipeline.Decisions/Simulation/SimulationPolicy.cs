using System.Text.Json;
using System.Text.Json.Serialization;
using MetricsPipeline.Decisions.Commands;
using MetricsPipeline.Decisions.Forecasts;
using MetricsPipeline.Decisions.Scaling;

namespace MetricsPipeline.Decisions.Simulation;

/// <summary>
/// Which policy a simulation runs, with optional overrides. <see cref="Parse"/> accepts a name
/// (<c>static</c>, <c>reactive</c>, <c>hpa</c>, <c>predictive</c>) or the path of a JSON config file such as
/// <c>{"policy": "reactive", "reactive": {"target_cpu_percent": 60}}</c> (snake_case option names). Immutable.
/// </summary>
public sealed record SimulationPolicy
{
    // A config file is written by hand: a misspelt key or a "NaN" must fail the run, not silently leave a default in place.
    private static readonly JsonSerializerOptions ConfigOptions = new(DecisionJson.Options)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        NumberHandling = JsonNumberHandling.Strict,
    };

    /// <summary>The name reported in the summary.</summary>
    public required string Name { get; init; }

    /// <summary>The policy family.</summary>
    public required SimulationPolicyKind Kind { get; init; }

    /// <summary>Reactive/HPA options; null means the family's defaults (min/max/price come from the simulation).</summary>
    public ScalingPolicyOptions? Reactive { get; init; }

    /// <summary>Predictive options; null means the defaults (capacity, lead, min/max, price come from the simulation).</summary>
    public PredictiveScalingOptions? Predictive { get; init; }

    /// <summary>Forecaster options for the predictive policy; null means the defaults.</summary>
    public SsaLoadForecasterOptions? Forecaster { get; init; }

    /// <summary>Parses a policy name or a JSON config path.</summary>
    /// <remarks>A config's keys must all be known (a misspelt one fails) and its numbers must be JSON numbers (no <c>"NaN"</c>).</remarks>
    /// <exception cref="ArgumentException">Unknown name, missing file, invalid config, unknown key or a number given as a string.</exception>
    public static SimulationPolicy Parse(string nameOrPath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(nameOrPath);
        if (Enum.TryParse<SimulationPolicyKind>(nameOrPath, ignoreCase: true, out var kind) && !nameOrPath.Contains('.', StringComparison.Ordinal))
        {
            return new SimulationPolicy { Name = nameOrPath.ToLowerInvariant(), Kind = kind };
        }

        if (!File.Exists(nameOrPath))
        {
            throw new ArgumentException($"Unknown policy '{nameOrPath}': use static, reactive, hpa, predictive or the path of a JSON config file.");
        }

        try
        {
            var config = JsonSerializer.Deserialize<SimulationPolicyConfig>(File.ReadAllText(nameOrPath), ConfigOptions)
                ?? throw new ArgumentException($"{nameOrPath}: empty config.");
            try
            {
                // Checked here so a bad forecaster setting fails before the run instead of at the first forecast.
                config.Forecaster?.Validate();
            }
            catch (ArgumentException e)
            {
                throw new ArgumentException($"{nameOrPath}: \"forecaster\": {e.Message}", e);
            }

            return new SimulationPolicy
            {
                Name = config.Name ?? Path.GetFileNameWithoutExtension(nameOrPath),
                Kind = config.Policy,
                Reactive = config.Reactive,
                Predictive = config.Predictive,
                Forecaster = config.Forecaster,
            };
        }
        catch (JsonException e) when (e.Path == "$.policy")
        {
            // The serializer's message names the enum type, not what the user may write.
            string kinds = string.Join(", ", Enum.GetNames<SimulationPolicyKind>().Select(JsonNamingPolicy.SnakeCaseLower.ConvertName));
            throw new ArgumentException($"{nameOrPath}: \"policy\" must be one of {kinds}.", e);
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"{nameOrPath}: {e.Message}", e);
        }
    }
}
