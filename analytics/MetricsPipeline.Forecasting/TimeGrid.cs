namespace MetricsPipeline.Forecasting;

/// <summary>
/// A timestamped series put on a regular time grid, so that "h steps ahead" means h × <see cref="StepSeconds"/>
/// seconds ahead and not h rows (NAB's realTraffic rows are 10 minutes apart most of the time, but 20, 30 or 40
/// minutes at many places). The step is the median spacing of the rows; each row goes to its nearest slot counted
/// from the first row's time (<c>round((t − t₀) / step)</c>). A row that lands on a slot an earlier row already holds
/// is left out and counted in <see cref="DroppedRows"/>: the slot keeps the first row's value, so a forecast made at
/// that slot (or at a filled slot before it) uses nothing that arrived after the first row. Slots
/// without a row are filled by linear interpolation between the neighbouring real slots; a filled slot therefore uses
/// only values at or before the next real slot, so a forecast made at a real slot uses nothing after it. Rows whose value
/// is not finite are not real (their slot is filled unless another row holds it). Immutable after <see cref="Build"/>.
/// </summary>
public sealed class TimeGrid
{
    /// <summary>The most slots per row <see cref="Build"/> accepts by default: 16 (TravelTime_387 has 4).</summary>
    public const int DefaultMaxSlotsPerRow = 16;

    private readonly double[] _values;
    private readonly bool[] _real;
    private readonly int[] _rowSlot;

    private TimeGrid(double stepSeconds, double[] values, bool[] real, int[] rowSlot, int droppedRows)
    {
        StepSeconds = stepSeconds;
        _values = values;
        _real = real;
        _rowSlot = rowSlot;
        DroppedRows = droppedRows;
        RealRows = real.Count(r => r);
    }

    /// <summary>Seconds between two slots: the median spacing of the rows' timestamps (positive spacings only).</summary>
    public double StepSeconds { get; }

    /// <summary>Number of slots, from the first row's slot to the last row's.</summary>
    public int Slots => _values.Length;

    /// <summary>Slots that hold at least one row with a finite value.</summary>
    public int RealRows { get; }

    /// <summary>Slots filled by interpolation (<see cref="Slots"/> − <see cref="RealRows"/>).</summary>
    public int FilledSlots => Slots - RealRows;

    /// <summary>Rows with a finite value left out because an earlier row already held their slot (duplicated or jittered timestamps).</summary>
    public int DroppedRows { get; }

    /// <summary>The slot values: real slots hold their first row's value, the others the interpolated value.</summary>
    public ReadOnlySpan<double> Values => _values;

    /// <summary>Whether each slot holds a real row (true) or an interpolated value (false).</summary>
    public ReadOnlySpan<bool> Real => _real;

    /// <summary>Number of input rows.</summary>
    public int Rows => _rowSlot.Length;

    /// <summary>The slot of input row <paramref name="row"/> (0-based).</summary>
    public int SlotOf(int row) => _rowSlot[row];

    /// <summary>The slots up to and including the slot of the first <paramref name="rows"/> input rows' last row: the grid's training length.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="rows"/> is not in [1, <see cref="Rows"/>].</exception>
    public int SlotsThrough(int rows)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(rows, Rows);
        return _rowSlot[rows - 1] + 1;
    }

    /// <summary>The slot values with NaN at the filled slots (for scores that may use real values only).</summary>
    public double[] RealValues() => Mask(_values, _real);

    /// <summary><paramref name="values"/> with NaN wherever <paramref name="real"/> is false (same lengths).</summary>
    internal static double[] Mask(ReadOnlySpan<double> values, ReadOnlySpan<bool> real)
    {
        var masked = new double[values.Length];
        for (int i = 0; i < masked.Length; i++)
        {
            masked[i] = real[i] ? values[i] : double.NaN;
        }

        return masked;
    }

    /// <summary>Puts <paramref name="values"/> observed at <paramref name="times"/> on the grid.</summary>
    /// <param name="times">One timestamp per row, not decreasing (of rows sharing a slot, the first counts).</param>
    /// <param name="values">One value per row; non-finite values are missing.</param>
    /// <param name="maxSlotsPerRow">
    /// The grid may have at most this many slots per row; a longer one (a gap of months in a 5-minute series) fails
    /// instead of filling thousands of slots with a straight line. The default is <see cref="DefaultMaxSlotsPerRow"/>.
    /// </param>
    /// <param name="stepRows">
    /// The step is the median spacing of the first this many rows (all rows by default): a forecaster trained on the
    /// first rows of a series takes its grid from those rows only, not from the timestamps of the rows it is tested on.
    /// Rows after them still need the grid to stay within <paramref name="maxSlotsPerRow"/>.
    /// </param>
    /// <exception cref="ArgumentException">
    /// The lengths differ, there are fewer than two distinct timestamps (among the first <paramref name="stepRows"/> rows)
    /// or no finite value, a timestamp decreases, or the grid would exceed <paramref name="maxSlotsPerRow"/>.
    /// </exception>
    public static TimeGrid Build(ReadOnlySpan<DateTimeOffset> times, ReadOnlySpan<double> values, int maxSlotsPerRow = DefaultMaxSlotsPerRow, int stepRows = int.MaxValue)
    {
        if (times.Length != values.Length)
        {
            throw new ArgumentException($"{times.Length} timestamps for {values.Length} values.", nameof(times));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(maxSlotsPerRow, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(stepRows, 2);
        var gaps = new List<double>(times.Length);
        double longest = 0;
        for (int i = 1; i < times.Length; i++)
        {
            double gap = (times[i] - times[i - 1]).TotalSeconds;
            if (gap < 0)
            {
                throw new ArgumentException($"The timestamps decrease at row {i} ({times[i - 1]:O} then {times[i]:O}); a time grid needs them in order.", nameof(times));
            }

            longest = Math.Max(longest, gap);
            if (gap > 0 && i < stepRows)
            {
                gaps.Add(gap);
            }
        }

        if (gaps.Count == 0)
        {
            throw new ArgumentException(stepRows < times.Length
                ? $"A time grid needs at least two distinct timestamps among the first {stepRows} rows."
                : "A time grid needs at least two distinct timestamps.", nameof(times));
        }

        gaps.Sort();
        double step = gaps[gaps.Count / 2];
        double span = (times[^1] - times[0]).TotalSeconds;
        double slots = Math.Round(span / step, MidpointRounding.AwayFromZero) + 1;
        if (slots > (double)maxSlotsPerRow * times.Length || slots > Array.MaxLength)
        {
            throw new ArgumentException($"The time grid of step {step} s would have {slots} slots for {times.Length} rows (more than {maxSlotsPerRow} per row; the longest gap is {longest} s).", nameof(times));
        }

        var sums = new double[(int)slots];
        var real = new bool[sums.Length];
        var rowSlot = new int[times.Length];
        int dropped = 0;
        for (int i = 0; i < times.Length; i++)
        {
            int slot = (int)Math.Round((times[i] - times[0]).TotalSeconds / step, MidpointRounding.AwayFromZero);
            rowSlot[i] = slot;
            if (!double.IsFinite(values[i]))
            {
                continue;
            }

            // A mean of the slot's rows would let the first row's forecast (made when it arrives) see the later ones.
            if (real[slot])
            {
                dropped++;
                continue;
            }

            sums[slot] = values[i];
            real[slot] = true;
        }

        int previous = -1;
        for (int k = 0; k < sums.Length; k++)
        {
            if (!real[k])
            {
                continue;
            }

            Fill(sums, previous, k);
            previous = k;
        }

        if (previous < 0)
        {
            throw new ArgumentException("A time grid needs at least one finite value.", nameof(values));
        }

        // Slots after the last real one (trailing missing values) keep its value: there is no later row to interpolate to.
        for (int k = previous + 1; k < sums.Length; k++)
        {
            sums[k] = sums[previous];
        }

        return new TimeGrid(step, sums, real, rowSlot, dropped);
    }

    /// <summary>Fills the slots strictly between real slots <paramref name="from"/> and <paramref name="to"/> linearly (before the first real slot: its value).</summary>
    private static void Fill(double[] slots, int from, int to)
    {
        for (int k = from + 1; k < to; k++)
        {
            slots[k] = from < 0 ? slots[to] : slots[from] + ((slots[to] - slots[from]) * (k - from) / (to - from));
        }
    }
}
