namespace MetricsPipeline.Decisions.Simulation;

/// <summary>One simulated step of a policy's run: the load and the fleet that served it. Immutable.</summary>
/// <param name="Step">The step's index from the trace's start (one step is one minute by default).</param>
/// <param name="Load">The load of the step, in the trace's units.</param>
/// <param name="Provisioned">Instances billed in the step (serving and starting).</param>
/// <param name="Ready">Instances serving in the step.</param>
/// <param name="Utilization">Load ÷ serving capacity (∞ when nothing serves a load).</param>
/// <param name="Violation">Whether the step's p95 latency exceeded the SLO.</param>
public readonly record struct SimulationMinute(int Step, double Load, int Provisioned, int Ready, double Utilization, bool Violation);
