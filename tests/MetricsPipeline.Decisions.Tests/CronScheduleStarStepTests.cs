using System.Globalization;
using MetricsPipeline.Decisions.Scaling;
using Xunit;

namespace MetricsPipeline.Decisions.Tests;

public sealed class CronScheduleStarStepTests
{
    // As in cron: a day field starting with '*' (such as */2) does not make the day rule an "either day field" rule.
    [Theory]
    [InlineData("0 8 */1 * 1-5", "2026-11-01T08:00:00Z", false)] // Sunday: the weekday field decides
    [InlineData("0 8 */1 * 1-5", "2026-11-02T08:00:00Z", true)] // Monday
    [InlineData("0 8 1-31 * 1-5", "2026-11-01T08:00:00Z", true)] // both restricted: either matches
    [InlineData("0 8 */2 * *", "2026-11-02T08:00:00Z", false)] // day 2 is not in 1, 3, 5, …
    [InlineData("0 8 * * */6", "2026-11-01T08:00:00Z", true)] // Sunday (0) is in 0, 6
    [InlineData("0 8 1 * */6", "2026-11-07T08:00:00Z", false)] // Saturday, but day 1 is required
    public void WhenADayFieldStartsWithAStarThenItDoesNotWidenTheOtherDayField(string expression, string time, bool expected)
    {
        Assert.Equal(expected, CronSchedule.Parse(expression).Matches(DateTimeOffset.Parse(time, CultureInfo.InvariantCulture)));
    }
}
