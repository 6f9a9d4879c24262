using System.Globalization;

namespace MetricsPipeline.Decisions.Simulation;

/// <summary>
/// A load trace: time-ordered (timestamp, load) points, e.g. requests/s. Read one from CSV (<c>timestamp,value</c>)
/// with <see cref="ReadCsv(TextReader, string)"/>. Immutable after construction.
/// </summary>
public sealed class LoadTrace
{
    /// <summary>Creates a trace; points are sorted by time and duplicates keep the last value.</summary>
    /// <param name="name">A name for reports (e.g. the file name).</param>
    /// <param name="points">The points (at least two, with finite, non-negative loads).</param>
    /// <exception cref="ArgumentException">Fewer than two distinct times, or a negative/non-finite load.</exception>
    public LoadTrace(string name, IEnumerable<(DateTimeOffset Time, double Load)> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        Name = name ?? string.Empty;
        var sorted = new SortedDictionary<DateTimeOffset, double>();
        foreach (var (time, load) in points)
        {
            if (!double.IsFinite(load) || load < 0)
            {
                throw new ArgumentException($"Load at {time:u} must be finite and non-negative (got {load}).", nameof(points));
            }

            sorted[time] = load;
        }

        if (sorted.Count < 2)
        {
            throw new ArgumentException("A trace needs at least two points at different times.", nameof(points));
        }

        Points = sorted.Select(p => (p.Key, p.Value)).ToArray();
    }

    /// <summary>The trace name.</summary>
    public string Name { get; }

    /// <summary>The points in time order.</summary>
    public IReadOnlyList<(DateTimeOffset Time, double Load)> Points { get; }

    /// <summary>The first timestamp.</summary>
    public DateTimeOffset Start => Points[0].Time;

    /// <summary>The last timestamp.</summary>
    public DateTimeOffset End => Points[^1].Time;

    /// <summary>The median of the points' loads.</summary>
    public double Median
    {
        get
        {
            var loads = Points.Select(p => p.Load).Order().ToArray();
            int n = loads.Length;
            return n % 2 == 1 ? loads[n / 2] : (loads[(n / 2) - 1] + loads[n / 2]) / 2;
        }
    }

    /// <summary>The median time between consecutive points (the trace's sampling interval).</summary>
    public TimeSpan MedianInterval
    {
        get
        {
            var gaps = new TimeSpan[Points.Count - 1];
            for (int i = 1; i < Points.Count; i++)
            {
                gaps[i - 1] = Points[i].Time - Points[i - 1].Time;
            }

            Array.Sort(gaps);
            return gaps[gaps.Length / 2];
        }
    }

    /// <summary>
    /// The load every <paramref name="step"/> from <see cref="Start"/> to <see cref="End"/> inclusive, linearly
    /// interpolated between points (traces are sampled coarser than the simulator steps).
    /// </summary>
    public double[] Resample(TimeSpan step)
    {
        if (step <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(step), "The step must be positive.");
        }

        int count = (int)((End - Start).Ticks / step.Ticks) + 1;
        var result = new double[count];
        int j = 0;
        for (int i = 0; i < count; i++)
        {
            var t = Start + (step * i);
            while (j < Points.Count - 2 && Points[j + 1].Time <= t)
            {
                j++;
            }

            var (t0, v0) = Points[j];
            var (t1, v1) = Points[j + 1];
            double f = Math.Clamp((t - t0).Ticks / (double)(t1 - t0).Ticks, 0, 1);
            result[i] = v0 + ((v1 - v0) * f);
        }

        return result;
    }

    /// <summary>Reads a CSV file with a header and <c>timestamp,value</c> rows (timestamps in UTC unless they carry an offset).</summary>
    /// <exception cref="FormatException">A row cannot be parsed.</exception>
    public static LoadTrace ReadCsv(string path)
    {
        using var reader = new StreamReader(path);
        return ReadCsv(reader, Path.GetFileNameWithoutExtension(path));
    }

    /// <summary>Reads CSV text with a header and <c>timestamp,value</c> rows.</summary>
    /// <exception cref="FormatException">A row cannot be parsed.</exception>
    public static LoadTrace ReadCsv(TextReader reader, string name)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var points = new List<(DateTimeOffset, double)>();
        int lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (line.Length == 0 || (lineNumber == 1 && !char.IsDigit(line[0])))
            {
                continue; // header or blank line
            }

            int comma = line.IndexOf(',', StringComparison.Ordinal);
            if (comma < 0
                || !DateTimeOffset.TryParse(line.AsSpan(0, comma), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
                || !double.TryParse(line.AsSpan(comma + 1), NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
            {
                throw new FormatException($"{name}:{lineNumber}: expected 'timestamp,value', got '{line}'.");
            }

            points.Add((time, value));
        }

        return new LoadTrace(name, points);
    }
}
