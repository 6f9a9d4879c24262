using System.Globalization;
using MetricsPipeline.Decisions.Scaling;
using Xunit;

namespace MetricsPipeline.Decisions.Tests;

/// <summary>
/// A schedule whose days of the month never occur in its months (30 February, 31 April) can never open: it fails when
/// parsed, naming the expression, as a zero-length window does. Before, it was accepted and silently never scaled.
/// </summary>
public sealed class CronScheduleImpossibleDateTests
{
    [Theory]
    [InlineData("0 9 30 2 *")]
    [InlineData("0 9 30-31 2 *")]
    [InlineData("0 9 31 4,6,9,11 *")]
    [InlineData("0 9 31 2-4/2 *")] // February and April
    [InlineData("0 9 30 2 */1")]   // a weekday field starting with * leaves the day field to decide
    public void WhenTheDayOfTheMonthNeverOccursInTheMonthsThenParsingFailsNamingTheExpression(string expression)
    {
        var error = Assert.Throws<FormatException>(() => CronSchedule.Parse(expression));
        Assert.Contains($"'{expression}'", error.Message, StringComparison.Ordinal);
        Assert.Contains("never", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0 9 29 2 *", "2028-02-29T09:00:00Z", true)]  // leap years only, but it occurs
    [InlineData("0 9 31 * *", "2026-01-31T09:00:00Z", true)]  // the months with a 31st
    [InlineData("0 9 30 2 1", "2026-02-02T09:00:00Z", true)]  // both day fields restricted: Mondays of February
    [InlineData("0 9 31 3-4 *", "2026-03-31T09:00:00Z", true)] // March has one
    public void WhenTheDayOccursInSomeSelectedMonthThenTheScheduleIsAccepted(string expression, string time, bool expected)
    {
        Assert.Equal(expected, CronSchedule.Parse(expression).Matches(DateTimeOffset.Parse(time, CultureInfo.InvariantCulture)));
    }
}
