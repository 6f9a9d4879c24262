using MetricsPipeline.Decisions.Scaling;

namespace MetricsPipeline.Host.Stages;

/// <summary>
/// Estimates how many requests per second one instance serves at 100 % CPU from a service's own windows: the median
/// of (request rate / instances) / (CPU / 100) over the first N windows whose CPU is between 10 % and 95 % (below, a
/// CPU floor dominates; above, CPU saturates and says nothing about demand) and whose quotient is finite (an infinite
/// request rate is no sample). The estimate is fixed once complete, so
/// the policy built on it keeps a stable capacity. Not thread-safe.
/// </summary>
/// <param name="windows">Windows the estimate needs (at least 1).</param>
internal sealed class CapacityEstimate(int windows)
{
    private readonly List<double> _samples = [];
    private readonly int _needed = Math.Max(1, windows);

    /// <summary>The estimate, or NaN until enough windows were seen.</summary>
    public double Capacity { get; private set; } = double.NaN;

    /// <summary>Adds one window's snapshot (ignored once the estimate is complete or when the window is unusable).</summary>
    public void Observe(ServiceSnapshot snapshot)
    {
        if (double.IsFinite(Capacity) || snapshot.Instances < 1 || !(snapshot.RequestRate > 0) || !(snapshot.CpuPercent is >= 10 and <= 95))
        {
            return;
        }

        // An infinite rate (or one so large the quotient overflows) is no sample: an infinite estimate would make the
        // policy built on it size every service at its minimum, since any demand over infinite capacity is none.
        double sample = snapshot.RequestRate / snapshot.Instances / (snapshot.CpuPercent / 100);
        if (!double.IsFinite(sample))
        {
            return;
        }

        _samples.Add(sample);
        if (_samples.Count >= _needed)
        {
            _samples.Sort();
            int n = _samples.Count;
            Capacity = n % 2 == 1 ? _samples[n / 2] : (_samples[(n / 2) - 1] + _samples[n / 2]) / 2;
            _samples.Clear();
        }
    }

    /// <summary>Writes the estimate and the samples gathered towards it.</summary>
    public void Save(BinaryWriter w)
    {
        w.Write(Capacity);
        w.Write(_samples.Count);
        foreach (var sample in _samples)
        {
            w.Write(sample);
        }
    }

    /// <summary>Reads what <see cref="Save"/> wrote.</summary>
    public void Restore(BinaryReader r)
    {
        Capacity = r.ReadDouble();
        var count = r.ReadInt32();
        if (count < 0)
        {
            throw new FormatException("Negative sample count.");
        }

        _samples.Clear();
        for (var i = 0; i < count; i++)
        {
            _samples.Add(r.ReadDouble());
        }
    }
}
