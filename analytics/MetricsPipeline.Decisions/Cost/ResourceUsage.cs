namespace MetricsPipeline.Decisions.Cost;

/// <summary>A resource's fleet and its mean utilisation over an observation window. Immutable.</summary>
/// <param name="Scope">The service.</param>
/// <param name="InstanceType">Its instance type (a key of the <see cref="PriceTable"/>).</param>
/// <param name="Instances">Mean instance count.</param>
/// <param name="UtilizationPercent">Mean utilisation (e.g. CPU) in percent.</param>
public sealed record ResourceUsage(string Scope, string InstanceType, int Instances, double UtilizationPercent);
