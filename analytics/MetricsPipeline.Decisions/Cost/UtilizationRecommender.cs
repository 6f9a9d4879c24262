using System.Globalization;
using MetricsPipeline.Decisions.Alerts;
using MetricsPipeline.Decisions.Commands;
using MetricsPipeline.Decisions.Scaling;

namespace MetricsPipeline.Decisions.Cost;

/// <summary>
/// Recommends smaller fleets for resources under <see cref="BelowPercent"/> utilisation (default 30 %): the count that
/// would run them at <see cref="TargetPercent"/> (default 60 %), with the estimated monthly saving. Thread-safe.
/// </summary>
/// <param name="Prices">The price table.</param>
/// <param name="BelowPercent">Utilisation under which a resource is flagged. The default is 30.</param>
/// <param name="TargetPercent">Utilisation the recommendation sizes for. The default is 60.</param>
public sealed record UtilizationRecommender(PriceTable Prices, double BelowPercent = 30, double TargetPercent = 60)
{
    /// <summary>Recommendation alerts for the under-utilised resources.</summary>
    public IReadOnlyList<CostAlert> Recommend(IEnumerable<ResourceUsage> resources, DateOnly day)
    {
        ArgumentNullException.ThrowIfNull(resources);
        var alerts = new List<CostAlert>();
        foreach (var r in resources)
        {
            if (!(r.UtilizationPercent < BelowPercent) || r.Instances <= 1)
            {
                continue;
            }

            int recommended = Math.Max(1, (int)Math.Ceiling(r.Instances * r.UtilizationPercent / TargetPercent));
            double saving = (r.Instances - recommended) * Prices.Hourly(r.InstanceType) * ScalingCommandFactory.HoursPerMonth;
            alerts.Add(new CostAlert
            {
                Id = DeterministicId.Compute(nameof(CostAlertType.Recommendation), r.Scope, r.InstanceType, day.ToString("O", CultureInfo.InvariantCulture)),
                Type = CostAlertType.Recommendation,
                Severity = AlertSeverity.Warning,
                Scope = r.Scope,
                PeriodStart = day,
                PeriodEnd = day,
                ThresholdPercent = BelowPercent,
                Amount = Math.Round(saving, 2),
                Reference = r.Instances,
                Summary = string.Create(CultureInfo.InvariantCulture,
                    $"{r.Scope} runs {r.Instances} × {r.InstanceType} at {r.UtilizationPercent:0.#}% utilisation; {recommended} would run at ≈ {TargetPercent}% and save ≈ {saving:0.00} per month"),
                Day = day,
            });
        }

        return alerts;
    }
}
