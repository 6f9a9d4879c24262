using CsCheck;

namespace MetricsPipeline.Fleet.Tests;

public sealed class DurationParserTests
{
    public static TheoryData<string, long> Valid => new()
    {
        { "10s", TimeSpan.FromSeconds(10).Ticks },
        { "5m", TimeSpan.FromMinutes(5).Ticks },
        { "3d", TimeSpan.FromDays(3).Ticks },
        { "1h30m", TimeSpan.FromMinutes(90).Ticks },
        { "250ms", TimeSpan.FromMilliseconds(250).Ticks },
        { "1.5h", TimeSpan.FromMinutes(90).Ticks },
        { "2w", TimeSpan.FromDays(14).Ticks },
        { "100us", 1000 },
        { "500ns", 5 },
        { " 0s ", 0 },
        { "1d2h3m4s5ms", new TimeSpan(1, 2, 3, 4, 5).Ticks },
    };

    [Theory]
    [MemberData(nameof(Valid))]
    public void WhenTheTextIsADurationThenItParses(string text, long ticks)
    {
        Assert.Equal(TimeSpan.FromTicks(ticks), DurationParser.Parse(text));
        Assert.True(DurationParser.TryParse(text, out var parsed));
        Assert.Equal(TimeSpan.FromTicks(ticks), parsed);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("10", "no unit")]
    [InlineData("10x", "unknown unit 'x'")]
    [InlineData("5M", "unknown unit 'M'")]
    [InlineData("s", "expected a number")]
    [InlineData("-5s", "expected a number")]
    [InlineData("1h 30m", "expected a number")]
    [InlineData("1.2.3s", "not a number")]
    [InlineData(".5s", "not a number")]
    [InlineData("99999999999999999999w", "too large")]
    public void WhenTheTextIsNotADurationThenAFormatExceptionSaysWhy(string text, string reason)
    {
        var error = Assert.Throws<FormatException>(() => DurationParser.Parse(text));
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.Contains($"'{text}'", error.Message, StringComparison.Ordinal);
        Assert.False(DurationParser.TryParse(text, out _));
    }

    [Fact]
    public void WhenArbitraryTextIsParsedThenTryParseNeverThrows()
    {
        Gen.String.Sample(text => DurationParser.TryParse(text, out _) || true);
    }
}
