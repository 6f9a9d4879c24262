using System.Globalization;
using MetricsPipeline.Ingest.Csv;

namespace MetricsPipeline.Decisions.Simulation;

/// <summary>
/// A load trace: time-ordered (timestamp, load) points, e.g. requests/s. Read one from CSV (<c>timestamp,value</c>)
/// with <see cref="ReadCsv(TextReader, string)"/>. Immutable after construction.
/// </summary>
public sealed class LoadTrace
{
    /// <summary>
    /// The most median-interval slots per point a trace may span (16, as the forecasting time grid allows): beyond it the
    /// simulation would be mostly straight lines drawn across gaps (e.g. two files of different months concatenated).
    /// The NAB development traces span at most 4.
    /// </summary>
    public const int MaxSlotsPerPoint = 16;

    /// <summary>The most steps <see cref="Resample"/> makes (10 million, about 19 years of minutes).</summary>
    public const int MaxSteps = 10_000_000;

    /// <summary>Creates a trace; points are sorted by time and duplicates keep the last value.</summary>
    /// <param name="name">A name for reports (e.g. the file name).</param>
    /// <param name="points">
    /// The points (at least two, with finite, non-negative loads, covering at least one in <see cref="MaxSlotsPerPoint"/>
    /// of the median-interval slots between the first and the last).
    /// </param>
    /// <exception cref="ArgumentException">Fewer than two distinct times, a negative/non-finite load, or gaps so long that the trace is mostly interpolation.</exception>
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
        var interval = MedianInterval;
        double slots = (End - Start) / interval;
        if (slots > (double)MaxSlotsPerPoint * Points.Count)
        {
            int widest = 1;
            for (int i = 2; i < Points.Count; i++)
            {
                widest = Points[i].Time - Points[i - 1].Time > Points[widest].Time - Points[widest - 1].Time ? i : widest;
            }

            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"The trace's {Points.Count} points span {slots:0} slots of its median interval {interval} (more than {MaxSlotsPerPoint} per point), so it would be mostly interpolation; the longest gap is {Points[widest].Time - Points[widest - 1].Time:c} from {Points[widest - 1].Time:u} to {Points[widest].Time:u}."),
                nameof(points));
        }
    }

    /// <summary>The trace name.</summary>
    public string Name { get; }

    /// <summary>
    /// CSV rows (read by <see cref="ReadCsv(TextReader, string)"/>) whose timestamp repeats the previous row's; each was
    /// replaced by the next, the last row of a timestamp is kept. Zero for a trace built from points.
    /// </summary>
    public int DuplicateRows { get; private init; }

    /// <summary>The first of the <see cref="DuplicateRows"/> as <c>name:line: 'text'</c>; null when there are none.</summary>
    public string? FirstDuplicate { get; private init; }

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
    /// <exception cref="ArgumentException">More than <see cref="MaxSteps"/> steps.</exception>
    public double[] Resample(TimeSpan step)
    {
        if (step <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(step), "The step must be positive.");
        }

        long steps = ((End - Start).Ticks / step.Ticks) + 1;
        if (steps > MaxSteps)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"The trace spans {End - Start:c} ({Start:u} to {End:u}): {steps} steps of {step}, more than the {MaxSteps} a run allows."), nameof(step));
        }

        int count = (int)steps;
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

    /// <summary>
    /// Reads a CSV file with an optional header and <c>timestamp,value</c> rows in time order (timestamps in UTC unless
    /// they carry an offset); blank lines and lines starting with <c>#</c> are skipped anywhere.
    /// </summary>
    /// <exception cref="FormatException">A row cannot be parsed, or its timestamp is before the previous row's.</exception>
    /// <exception cref="ArgumentException">The rows make no valid trace (see the constructor).</exception>
    public static LoadTrace ReadCsv(string path)
    {
        using var reader = new StreamReader(path);
        return ReadCsv(reader, Path.GetFileNameWithoutExtension(path));
    }

    /// <summary>
    /// Reads CSV text (RFC 4180: a quoted field may hold commas and doubled quotes) with an optional header (the first
    /// line that is neither blank nor a <c>#</c> comment, when it neither starts with a digit nor reads as a row) and
    /// <c>timestamp,value</c> rows in time order (equal timestamps keep the last row;
    /// <see cref="DuplicateRows"/> and <see cref="FirstDuplicate"/> say how many and where).
    /// </summary>
    /// <exception cref="FormatException">A row cannot be parsed, or its timestamp is before the previous row's.</exception>
    /// <exception cref="ArgumentException">The rows make no valid trace (see the constructor); the message starts with <paramref name="name"/>.</exception>
    public static LoadTrace ReadCsv(TextReader reader, string name)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var points = new List<(DateTimeOffset, double)>();
        int duplicates = 0;
        string? firstDuplicate = null;
        (int Line, string Text)? header = null;
        // Fields are read as RFC 4180 quotes them (the forecasting commands' reader): a quoted timestamp may hold a comma.
        foreach (var (fields, lineNumber, line) in Records(reader, name))
        {
            DateTimeOffset time = default;
            double value = 0;
            bool parsed = fields.Length == 2
                && DateTimeOffset.TryParse(fields[0], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out time)
                && double.TryParse(fields[1], NumberStyles.Float, CultureInfo.InvariantCulture, out value);
            if (header is null && points.Count == 0 && !parsed && !(fields[0].Length > 0 && char.IsDigit(fields[0][0])))
            {
                // The header is the first line that is neither blank nor a comment (exports often open with a '#' note).
                // A first line that reads as a row is one, even when its timestamp starts with a letter ("Jan 1, 2026").
                header = (lineNumber, line);
                continue;
            }

            if (!parsed)
            {
                // A second header-like line before any row usually means a title line above the header: say which line was taken.
                string hint = points.Count == 0 && header is { } taken
                    ? $"; line {taken.Line} ('{taken.Text}') was taken as the header, and only one header line is read: start other lines before the rows with '#'"
                    : string.Empty;
                throw new FormatException($"{name}:{lineNumber}: expected 'timestamp,value', got '{line}'{hint}.");
            }

            if (points.Count > 0 && time < points[^1].Item1)
            {
                // An out-of-order row usually means a wrong or concatenated file; sorting it quietly would hide that.
                throw new FormatException($"{name}:{lineNumber}: timestamp {time:u} is before the previous row's {points[^1].Item1:u}; the rows must be in time order.");
            }

            if (points.Count > 0 && time == points[^1].Item1)
            {
                // Kept as before (the last row wins, three NAB development traces have one), but counted so callers can say so.
                duplicates++;
                firstDuplicate ??= $"{name}:{lineNumber}: '{line}'";
            }

            points.Add((time, value));
        }

        try
        {
            return new LoadTrace(name, points) { DuplicateRows = duplicates, FirstDuplicate = firstDuplicate };
        }
        catch (ArgumentException e)
        {
            // The message without the " (Parameter 'points')" suffix: the user knows the file, not the parameter.
            string message = e.ParamName is { } parameter ? e.Message.Replace($" (Parameter '{parameter}')", string.Empty, StringComparison.Ordinal) : e.Message;
            throw new ArgumentException($"{name}: {message}", e);
        }
    }

    /// <summary>The records of <paramref name="reader"/>, comment lines skipped; a malformed quote is a <see cref="FormatException"/>, as any unreadable row is here.</summary>
    private static IEnumerable<CsvRecord> Records(TextReader reader, string name)
    {
        using var records = CsvRecords.Read(reader, name, skipComments: true).GetEnumerator();
        while (true)
        {
            try
            {
                if (!records.MoveNext())
                {
                    yield break;
                }
            }
            catch (InvalidDataException e)
            {
                throw new FormatException(e.Message, e);
            }

            yield return records.Current;
        }
    }
}
