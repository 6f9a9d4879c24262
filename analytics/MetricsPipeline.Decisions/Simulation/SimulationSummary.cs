namespace MetricsPipeline.Decisions.Simulation;

/// <summary>
/// The result of one simulated run (written as <c>summary.json</c> in snake_case by <see cref="SimulationSummaryJson"/>).
/// Costs are in the price's currency; minutes are simulator steps of one minute. Immutable.
/// </summary>
public sealed record SimulationSummary
{
    /// <summary>The policy name.</summary>
    public required string Policy { get; init; }

    /// <summary>The trace name.</summary>
    public required string Trace { get; init; }

    /// <summary>Total cost of the run (instances are billed from the scale-out command, start-up included).</summary>
    public required double Cost { get; init; }

    /// <summary>Cost of the oracle that knows the future: each minute exactly the instances that keep p95 within the SLO.</summary>
    public required double OracleCost { get; init; }

    /// <summary>Cost of static peak provisioning (enough instances for the peak at the SLO's utilisation, all the time).</summary>
    public required double StaticCost { get; init; }

    /// <summary>Minutes whose p95 latency exceeded the SLO.</summary>
    public required int SloViolationMinutes { get; init; }

    /// <summary>Simulated minutes.</summary>
    public required int TotalMinutes { get; init; }

    /// <summary>Applied scaling commands (advisory ones are not applied).</summary>
    public required int ScalingActions { get; init; }

    /// <summary>Reversals of direction within the oscillation window (the cooldown) of the previous action.</summary>
    public required int Oscillations { get; init; }

    /// <summary>Mean over minutes of load / (serving instances × capacity), capped at 1.</summary>
    public required double MeanUtilization { get; init; }

    /// <summary><see cref="SloViolationMinutes"/> / <see cref="TotalMinutes"/>.</summary>
    public double SloViolationFraction => TotalMinutes == 0 ? 0 : (double)SloViolationMinutes / TotalMinutes;

    /// <summary><see cref="Cost"/> / <see cref="OracleCost"/>.</summary>
    public double CostVsOracle => OracleCost == 0 ? 0 : Cost / OracleCost;

    /// <summary>The oracle's mean utilisation.</summary>
    public required double OracleMeanUtilization { get; init; }

    /// <summary>Violation minutes of static peak provisioning.</summary>
    public required int StaticSloViolationMinutes { get; init; }

    /// <summary>The static fleet size.</summary>
    public required int StaticInstances { get; init; }

    /// <summary>Mean billed instances of the run.</summary>
    public required double MeanInstances { get; init; }

    /// <summary>Most billed instances at any minute of the run.</summary>
    public required int PeakInstances { get; init; }

    /// <summary>Capacity per instance used, in the trace's units.</summary>
    public required double CapacityPerInstance { get; init; }

    /// <summary>The largest utilisation that keeps p95 within the SLO (what the oracle and static provisioning size for).</summary>
    public required double SloMaxUtilization { get; init; }

    /// <summary>Applied commands by trigger (snake_case trigger names).</summary>
    public required IReadOnlyDictionary<string, int> ActionsByTrigger { get; init; }

    /// <summary>
    /// Cost of the cheapest rule "factor × the largest load of the last window minutes, as known one start-up delay
    /// ago", window and factor chosen with hindsight, at no more violation minutes than this run, billed like the
    /// oracle (see <see cref="PeakRuleWindowMinutes"/>); null for static provisioning or when no factor up to 5 keeps
    /// within this run's violation minutes.
    /// </summary>
    public double? PeakRuleCost { get; init; }

    /// <summary>The window of <see cref="PeakRuleCost"/>'s rule, in minutes (one of 5, 10, 15, 30, 60, 120, 240 steps).</summary>
    public double? PeakRuleWindowMinutes { get; init; }

    /// <summary>The factor of <see cref="PeakRuleCost"/>'s rule (a grid of 0.001 from 0.5 to 5).</summary>
    public double? PeakRuleFactor { get; init; }

    /// <summary>Violation minutes of <see cref="PeakRuleCost"/>'s rule (at most the run's).</summary>
    public int? PeakRuleSloViolationMinutes { get; init; }

    /// <summary><see cref="PeakRuleCost"/> / <see cref="OracleCost"/> (null with no rule).</summary>
    public double? PeakRuleVsOracle => PeakRuleCost is { } c && OracleCost > 0 ? c / OracleCost : null;
}
