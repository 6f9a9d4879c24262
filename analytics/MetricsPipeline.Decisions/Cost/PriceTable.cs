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
    /// <exception cref="ArgumentException">A negative or non-finite price.</exception>
    public PriceTable(IReadOnlyDictionary<string, double> hourlyByInstanceType, double storagePerGbMonth = 0, double transferPerGb = 0)
    {
        ArgumentNullException.ThrowIfNull(hourlyByInstanceType);
        // The message names the price that is wrong: a table has many.
        foreach (var (type, price) in hourlyByInstanceType)
        {
            if (!IsAmount(price))
            {
                throw new ArgumentException(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                    $"The hourly price of instance type '{type}' must be a finite, non-negative number (got {price})."), nameof(hourlyByInstanceType));
            }
        }

        if (!IsAmount(storagePerGbMonth) || !IsAmount(transferPerGb))
        {
            throw new ArgumentException(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"The storage price per GB-month ({storagePerGbMonth}) and the transfer price per GB ({transferPerGb}) must be finite, non-negative numbers."));
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
    /// <exception cref="KeyNotFoundException">The type is not in the table.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A negative or non-finite count, duration or volume (it would be a negative or NaN spend).</exception>
    public double Spend(string instanceType, double instances, TimeSpan duration, double storageGb = 0, double transferGb = 0)
    {
        if (!IsAmount(instances) || duration < TimeSpan.Zero || !IsAmount(storageGb) || !IsAmount(transferGb))
        {
            throw new ArgumentOutOfRangeException(nameof(instances), string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"Instances ({instances}), duration ({duration}), storage ({storageGb} GB) and transfer ({transferGb} GB) must be finite and non-negative."));
        }

        return (Hourly(instanceType) * instances * duration.TotalHours)
        + (StoragePerGbMonth * storageGb * duration.TotalHours / Scaling.ScalingCommandFactory.HoursPerMonth)
        + (TransferPerGb * transferGb);
    }

    private static bool IsAmount(double value) => value >= 0 && double.IsFinite(value);
}
