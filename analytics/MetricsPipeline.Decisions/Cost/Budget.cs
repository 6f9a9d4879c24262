namespace MetricsPipeline.Decisions.Cost;

/// <summary>A spending budget. Immutable.</summary>
/// <param name="Name">Budget name, e.g. <c>platform-monthly</c>.</param>
/// <param name="Period">Its period.</param>
/// <param name="Amount">The budget per period, in the price table's currency (positive).</param>
/// <param name="Scope">What it covers: a service name, or <c>total</c>.</param>
public sealed record Budget(string Name, BudgetPeriod Period, double Amount, string Scope = "total");
