namespace MetricsPipeline.Analytics.Sketches;

/// <summary>
/// A summary of a stream of numbers that answers quantile queries. Implementations are not thread-safe:
/// one writer at a time, and no reads concurrent with writes.
/// </summary>
public interface IQuantileSketch
{
    /// <summary>Number of values added (including merged values).</summary>
    long Count { get; }

    /// <summary>Sum of the values added. <see cref="double.NaN"/> is never produced because NaN is rejected on add.</summary>
    double Sum { get; }

    /// <summary>Smallest value added, or <see cref="double.NaN"/> when the sketch is empty.</summary>
    double Min { get; }

    /// <summary>Largest value added, or <see cref="double.NaN"/> when the sketch is empty.</summary>
    double Max { get; }

    /// <summary>Adds one value. NaN and infinities throw <see cref="ArgumentOutOfRangeException"/>.</summary>
    /// <param name="value">The value; any finite double.</param>
    void Add(double value);

    /// <summary>Adds a batch of values; equivalent to adding them one by one, usually faster.</summary>
    /// <param name="values">Finite doubles.</param>
    void Add(ReadOnlySpan<double> values);

    /// <summary>Adds <paramref name="count"/> occurrences of a value. A count of zero is a no-op.</summary>
    /// <param name="value">The value; any finite double.</param>
    /// <param name="count">How many times the value occurred; must not be negative.</param>
    void Add(double value, long count);

    /// <summary>
    /// Adds every value summarised by <paramref name="other"/> to this sketch. <paramref name="other"/> is unchanged.
    /// Throws <see cref="ArgumentException"/> when the two sketches are not compatible (different type or accuracy).
    /// </summary>
    /// <param name="other">The sketch to fold into this one.</param>
    void Merge(IQuantileSketch other);

    /// <summary>
    /// Returns the value at quantile <paramref name="q"/> using the lower-rank convention: the value of rank
    /// <c>floor(q·(Count−1))</c> (0-based) in the sorted data. Returns <see cref="double.NaN"/> when the sketch is empty.
    /// </summary>
    /// <param name="q">The quantile in [0, 1].</param>
    double GetQuantile(double q);

    /// <summary>Forgets every value but keeps internal buffers so the sketch can be reused without allocating.</summary>
    void Clear();
}
