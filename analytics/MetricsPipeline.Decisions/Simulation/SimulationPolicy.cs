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

    /// <summary>
    /// Whether the predictive policy provisions at the simulation's SLO-derived target utilisation
    /// (<see cref="ClosedLoopSimulator.SloMaxUtilization"/>, ≈ 0.8464 with the defaults) instead of
    /// <see cref="Predictive"/>'s <see cref="PredictiveScalingOptions.TargetUtilization"/>. <see cref="Parse"/> sets it for a
    /// config whose <c>"predictive"</c> section does not set <c>target_utilization</c>, so that a config changing only
    /// another setting runs like the named <c>predictive</c> policy otherwise; with <see cref="Predictive"/> null the
    /// derived target always applies. The default is false.
    /// </summary>
    public bool SloDerivedTargetUtilization { get; init; }

    /// <summary>The config file <see cref="Parse"/> read the policy from, for messages; null for a named policy.</summary>
    public string? ConfigPath { get; init; }

    // Settings the simulation sets itself (ClosedLoopSimulator.CreatePolicy): in a config they would be overwritten unseen.
    private static readonly Dictionary<string, string> ReactiveSimulationKeys = new(StringComparer.Ordinal)
    {
        ["min_instances"] = "--min-instances",
        ["max_instances"] = "--max-instances",
        ["price_per_instance_hour"] = "--price",
        ["evaluation_interval"] = "the simulation step (1 minute)",
    };

    private static readonly Dictionary<string, string> PredictiveSimulationKeys = new(ReactiveSimulationKeys, StringComparer.Ordinal)
    {
        ["capacity_per_instance"] = "--capacity-per-instance",
        ["startup_delay"] = "--startup-delay",
        ["buffer"] = "the simulation's lead buffer (2 minutes)",
    };

    /// <summary>Parses a policy name or a JSON config path.</summary>
    /// <remarks>
    /// A config's keys must all be known (a misspelt one fails) and its numbers must be JSON numbers (no <c>"NaN"</c>).
    /// A section overrides its family's defaults (an <c>hpa</c> config's <c>"reactive"</c> section the HPA preset). The
    /// settings the simulation sets itself (min/max instances, price, evaluation interval; for the predictive policy
    /// also capacity, start-up delay and buffer) are command-line options, not config keys: setting one fails.
    /// </remarks>
    /// <exception cref="ArgumentException">Unknown name, missing file, invalid config, unknown key, a number given as a
    /// string, a key the simulation sets, or a setting out of range (the message names the file and the section).</exception>
    public static SimulationPolicy Parse(string nameOrPath)
    {
        // An empty name falls through to the "Unknown policy" message below, which says what to give.
        ArgumentNullException.ThrowIfNull(nameOrPath);
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
            string text = File.ReadAllText(nameOrPath);
            var config = JsonSerializer.Deserialize<SimulationPolicyConfig>(text, ConfigOptions)
                ?? throw new ArgumentException($"{nameOrPath}: empty config.");
            using var document = JsonDocument.Parse(text);
            RejectSimulationKeys(nameOrPath, document.RootElement, "reactive", ReactiveSimulationKeys);
            RejectSimulationKeys(nameOrPath, document.RootElement, "predictive", PredictiveSimulationKeys);
            if (config.Policy == SimulationPolicyKind.Hpa && config.Reactive is not null)
            {
                // An hpa config overrides the HPA preset, as a predictive one overrides the predictive defaults; read on
                // the options' own defaults, one override turned hpa into the playbook rules with their cooldowns.
                string section = document.RootElement.GetProperty("reactive").GetRawText();
                config.Reactive = JsonSerializer.Deserialize<HpaSection>($"{{\"reactive\":{section}}}", ConfigOptions)!.Reactive;
            }

            // Checked here so a bad setting fails before the run (a bad forecaster setting would fail only at the first
            // forecast), naming the file and the section. The simulation's own values are not in a config (see above),
            // and the predictive capacity, always the simulation's, stands in for the one the options require.
            // Before, a "predictive" section without target_utilization ran at the options' 0.80 where the named policy
            // (and a config without the section) runs at the SLO-derived target: changing only the mode or a quantile
            // also bought about 6 % more instances.
            bool derivedTarget = config.Predictive is not null
                && !(document.RootElement.TryGetProperty("predictive", out var predictive) && predictive.ValueKind == JsonValueKind.Object
                    && predictive.TryGetProperty("target_utilization", out _));
            Check(nameOrPath, "reactive", () => config.Reactive?.Validate());
            Check(nameOrPath, "predictive", () => ValidateWithoutCapacity(config.Predictive, derivedTarget));
            Check(nameOrPath, "forecaster", () => config.Forecaster?.Validate());
            return new SimulationPolicy
            {
                Name = config.Name ?? Path.GetFileNameWithoutExtension(nameOrPath),
                Kind = config.Policy,
                Reactive = config.Reactive,
                Predictive = config.Predictive,
                Forecaster = config.Forecaster,
                SloDerivedTargetUtilization = derivedTarget,
                ConfigPath = nameOrPath,
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

    private static void RejectSimulationKeys(string path, JsonElement root, string section, Dictionary<string, string> keys)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty(section, out var options) || options.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        foreach (var property in options.EnumerateObject())
        {
            if (keys.TryGetValue(property.Name, out string? owner))
            {
                throw new ArgumentException($"{path}: \"{section}\": \"{property.Name}\" is set by the simulation ({owner}), not by a config; remove it.");
            }
        }
    }

    private static void Check(string path, string section, Action validate)
    {
        try
        {
            validate();
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"{path}: \"{section}\": {e.Message}", e);
        }
    }

    // Without its own target the run's target is the SLO-derived one, which depends on the simulation's SLO options and
    // is known only at run start (ClosedLoopSimulator.CreatePolicy checks the headroom against it there). So here the
    // target stands at 1, the largest any target can be: before, the options' unused 0.80 refused a scale_in_headroom of
    // e.g. 0.82 that the run's 0.8464 allows.
    private static void ValidateWithoutCapacity(PredictiveScalingOptions? options, bool derivedTarget)
    {
        if (options is null)
        {
            return;
        }

        double capacity = options.CapacityPerInstance;
        double target = options.TargetUtilization;
        options.CapacityPerInstance = 1;
        options.TargetUtilization = derivedTarget ? 1 : target;
        try
        {
            options.Validate();
        }
        finally
        {
            options.CapacityPerInstance = capacity;
            options.TargetUtilization = target;
        }
    }

    // The "reactive" section of an hpa config, read onto the HPA preset.
    private sealed class HpaSection
    {
        [JsonObjectCreationHandling(JsonObjectCreationHandling.Populate)]
        public ScalingPolicyOptions Reactive { get; set; } = ScalingPolicyOptions.Hpa();
    }
}
