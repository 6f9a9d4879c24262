namespace MetricsPipeline.Decisions.Cost;

/// <summary>Calendar periods containing a day. Thread-safe.</summary>
public static class PeriodCalendar
{
    /// <summary>The first and last day of the <paramref name="period"/> containing <paramref name="day"/>.</summary>
    public static (DateOnly Start, DateOnly End) Bounds(BudgetPeriod period, DateOnly day)
    {
        var start = period switch
        {
            BudgetPeriod.Monthly => new DateOnly(day.Year, day.Month, 1),
            BudgetPeriod.Quarterly => new DateOnly(day.Year, (((day.Month - 1) / 3) * 3) + 1, 1),
            BudgetPeriod.Annual => new DateOnly(day.Year, 1, 1),
            _ => throw new ArgumentOutOfRangeException(nameof(period)),
        };
        var next = period switch
        {
            BudgetPeriod.Monthly => start.AddMonths(1),
            BudgetPeriod.Quarterly => start.AddMonths(3),
            _ => start.AddYears(1),
        };
        return (start, next.AddDays(-1));
    }
}
