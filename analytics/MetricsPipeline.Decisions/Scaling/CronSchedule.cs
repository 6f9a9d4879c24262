using System.Globalization;

namespace MetricsPipeline.Decisions.Scaling;

/// <summary>
/// A five-field cron expression (minute hour day-of-month month day-of-week, UTC; day-of-week 0–6 from Sunday, 7 also
/// Sunday) with <c>*</c>, numbers, ranges <c>a-b</c>, lists <c>a,b</c> and steps <c>*/n</c> or <c>a-b/n</c>. When both
/// day fields are restricted, either may match; when either starts with <c>*</c> (<c>*/2</c> too), both must (cron
/// semantics). An expression whose days of the month never occur in its months (30 February) is refused. Immutable;
/// thread-safe.
/// </summary>
public sealed class CronSchedule
{
    // The most days each month can have (February 29 in leap years), index 1–12.
    private static readonly int[] MaxDays = [0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

    private readonly bool[] _minutes;
    private readonly bool[] _hours;
    private readonly bool[] _days;
    private readonly bool[] _months;
    private readonly bool[] _weekdays;
    private readonly bool _anyDay;
    private readonly bool _anyWeekday;

    private CronSchedule(string expression, bool[][] fields, bool anyDay, bool anyWeekday)
    {
        Expression = expression;
        (_minutes, _hours, _days, _months, _weekdays) = (fields[0], fields[1], fields[2], fields[3], fields[4]);
        (_anyDay, _anyWeekday) = (anyDay, anyWeekday);
    }

    /// <summary>The expression.</summary>
    public string Expression { get; }

    /// <summary>Parses an expression.</summary>
    /// <exception cref="FormatException">Not five valid fields.</exception>
    public static CronSchedule Parse(string expression)
    {
        ArgumentNullException.ThrowIfNull(expression);
        string[] parts = expression.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 5)
        {
            throw new FormatException($"Cron expression '{expression}' must have five fields (minute hour day month weekday).");
        }

        int[] lo = [0, 0, 1, 1, 0];
        int[] hi = [59, 23, 31, 12, 7];
        var fields = new bool[5][];
        for (int f = 0; f < 5; f++)
        {
            fields[f] = Field(parts[f], lo[f], hi[f], expression);
        }

        fields[4][0] |= fields[4][7]; // 7 is Sunday too
        // As in cron, a day field starting with * (also */n) leaves the choice to the other day field.
        bool anyDay = parts[2].StartsWith('*');
        bool anyWeekday = parts[4].StartsWith('*');
        // When the day of the month decides (the weekday field starts with *, so both must match), it has to occur in
        // one of the months: 30 February or 31 April never comes, and such a schedule would never open, silently.
        if (anyWeekday && !Enumerable.Range(1, 12).Any(month => fields[3][month] && Enumerable.Range(1, MaxDays[month]).Any(day => fields[2][day])))
        {
            throw new FormatException($"Cron expression '{expression}': its days of the month never occur in its months, so it would never match.");
        }

        return new CronSchedule(expression, fields, anyDay, anyWeekday);
    }

    /// <summary>Whether the minute containing <paramref name="time"/> (UTC) matches.</summary>
    public bool Matches(DateTimeOffset time)
    {
        var t = time.UtcDateTime;
        if (!_minutes[t.Minute] || !_hours[t.Hour] || !_months[t.Month])
        {
            return false;
        }

        bool day = _days[t.Day];
        bool weekday = _weekdays[(int)t.DayOfWeek];
        // Cron: when either day field starts with * both must match (a plain * matches every day), otherwise either may.
        return _anyDay || _anyWeekday ? day && weekday : day || weekday;
    }

    /// <summary>Whether a match happened in (<paramref name="time"/> − <paramref name="duration"/>, <paramref name="time"/>]: the schedule is "on".</summary>
    public bool IsActive(DateTimeOffset time, TimeSpan duration)
    {
        var minute = new DateTimeOffset(time.UtcTicks - (time.UtcTicks % TimeSpan.TicksPerMinute), TimeSpan.Zero);
        for (var m = minute; m > time - duration; m = m.AddMinutes(-1))
        {
            if (Matches(m))
            {
                return true;
            }
        }

        return false;
    }

    private static bool[] Field(string text, int lo, int hi, string expression)
    {
        var set = new bool[hi + 1];
        foreach (string item in text.Split(','))
        {
            string range = item;
            int step = 1;
            int slash = item.IndexOf('/', StringComparison.Ordinal);
            if (slash >= 0)
            {
                step = Number(item[(slash + 1)..], 1, hi, expression);
                range = item[..slash];
            }

            int from = lo;
            int to = hi == 7 ? 6 : hi;
            if (range != "*")
            {
                int dash = range.IndexOf('-', StringComparison.Ordinal);
                from = Number(dash >= 0 ? range[..dash] : range, lo, hi, expression);
                to = dash >= 0 ? Number(range[(dash + 1)..], lo, hi, expression) : (slash >= 0 ? (hi == 7 ? 6 : hi) : from);
            }

            if (to < from)
            {
                throw new FormatException($"Cron expression '{expression}': range '{range}' runs backwards.");
            }

            for (int v = from; v <= to; v += step)
            {
                set[v] = true;
            }
        }

        return set;
    }

    private static int Number(string text, int lo, int hi, string expression) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int v) && v >= lo && v <= hi
            ? v
            : throw new FormatException($"Cron expression '{expression}': '{text}' is not a number in [{lo}, {hi}].");
}
