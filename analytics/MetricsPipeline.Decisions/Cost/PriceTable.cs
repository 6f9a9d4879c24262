namespace MetricsPipeline.Decisions.Cost;

/// <summary>
/// Prices per instance type per hour, plus optional storage (per GB-month) and data transfer (per GB) prices, in one
/// currency. Immutable after construction; thread-safe.
/// </summary>
public sealed class PriceTable
{
    private readonly Dictionary<string, double> _hourly;

    /// <summary>Creates a table.</summary>
    /// <param name="hourlyByInstanceType">Price per instance-hour by instance type (non-negative).</param>
    /// <param name="storagePerGbMonth">Storage price per GB-month. The default is 0.</param>
    /// <param name="transferPerGb">Data transfer price per GB. The default is 0.</param>
    /// <exception cref="ArgumentException">A negative price.</exception>
    public PriceTable(IReadOnlyDictionary<string, double> hourlyByInstanceType, double storagePerGbMonth = 0, double transferPerGb = 0)
    {
        ArgumentNullException.ThrowIfNull(hourlyByInstanceType);
        if (hourlyByInstanceType.Values.Any(p => !(p >= 0)) || !(storagePerGbMonth >= 0) || !(transferPerGb >= 0))
        {
            throw new ArgumentException("Prices must be non-negative numbers.");
        }

        _hourly = new Dictionary<string, double>(hourlyByInstanceType, StringComparer.Ordinal);
        StoragePerGbMonth = storagePerGbMonth;
        TransferPerGb = transferPerGb;
    }

    /// <summary>Storage price per GB-month.</summary>
    public double StoragePerGbMonth { get; }

    /// <summary>Data transfer price per GB.</summary>
    public double TransferPerGb { get; }

    /// <summary>The hourly price of <paramref name="instanceType"/>.</summary>
    /// <exception cref="KeyNotFoundException">The type is not in the table.</exception>
    public double Hourly(string instanceType) =>
        _hourly.TryGetValue(instanceType, out double price) ? price : throw new KeyNotFoundException($"No price for instance type '{instanceType}'.");

    /// <summary>Spend of <paramref name="instances"/> instances of a type over <paramref name="duration"/>, plus optional storage and transfer.</summary>
    public double Spend(string instanceType, double instances, TimeSpan duration, double storageGb = 0, double transferGb = 0) =>
        (Hourly(instanceType) * instances * duration.TotalHours)
        + (StoragePerGbMonth * storageGb * duration.TotalHours / Scaling.ScalingCommandFactory.HoursPerMonth)
        + (TransferPerGb * transferGb);
}
