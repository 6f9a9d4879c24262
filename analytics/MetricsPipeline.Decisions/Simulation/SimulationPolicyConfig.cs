using MetricsPipeline.Decisions.Forecasts;
using MetricsPipeline.Decisions.Scaling;

namespace MetricsPipeline.Decisions.Simulation;

/// <summary>The JSON shape of a policy config file (snake_case keys). Mutable for deserialisation.</summary>
public sealed class SimulationPolicyConfig
{
    /// <summary>The name in the summary. The default (null) is the file name.</summary>
    public string? Name { get; set; }

    /// <summary>The policy family. The default is <see cref="SimulationPolicyKind.Reactive"/>.</summary>
    public SimulationPolicyKind Policy { get; set; } = SimulationPolicyKind.Reactive;

    /// <summary>Reactive/HPA options.</summary>
    public ScalingPolicyOptions? Reactive { get; set; }

    /// <summary>Predictive options.</summary>
    public PredictiveScalingOptions? Predictive { get; set; }

    /// <summary>Forecaster options.</summary>
    public SsaLoadForecasterOptions? Forecaster { get; set; }
}
