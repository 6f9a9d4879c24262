namespace MetricsPipeline.Decisions.Simulation;

/// <summary>The policy families the simulator can run.</summary>
public enum SimulationPolicyKind
{
    /// <summary>Static peak provisioning: a fixed count sized for the trace's peak at the SLO's utilisation.</summary>
    Static,

    /// <summary>The playbook's reactive policy (<see cref="Scaling.ReactiveScalingPolicy"/> with default options).</summary>
    Reactive,

    /// <summary>The HPA-like proportional CPU policy (<see cref="Scaling.ScalingPolicyOptions.Hpa"/>).</summary>
    Hpa,

    /// <summary>Predictive scaling on the SSA forecaster (<see cref="Scaling.PredictiveScalingPolicy"/>).</summary>
    Predictive,
}
