namespace MetricsPipeline.Decisions.Scaling;

/// <summary>The mean of the most recent values (a fixed ring, no allocation per value). Not thread-safe.</summary>
internal sealed class RunningMean(int capacity)
{
    private readonly double[] _ring = new double[Math.Max(1, capacity)];
    private int _next;
    private double _sum;

    /// <summary>How many values are held (at most the capacity).</summary>
    public int Count { get; private set; }

    /// <summary>Adds a finite value (others are ignored), forgetting the oldest once the ring is full; returns the mean held.</summary>
    public double Add(double value)
    {
        if (double.IsFinite(value))
        {
            if (Count == _ring.Length)
            {
                _sum -= _ring[_next];
            }
            else
            {
                Count++;
            }

            _ring[_next] = value;
            _sum += value;
            _next = (_next + 1) % _ring.Length;
        }

        return Count == 0 ? double.NaN : _sum / Count;
    }
}
