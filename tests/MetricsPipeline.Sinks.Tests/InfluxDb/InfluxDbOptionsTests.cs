using System.Net.Http.Headers;
using MetricsPipeline.Sinks.InfluxDb;
using Xunit;

namespace MetricsPipeline.Sinks.Tests.InfluxDb;

public sealed class InfluxDbOptionsTests
{
    [Fact]
    public void WhenV1HasNoDatabaseThenValidationNamesTheSetting()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new InfluxDbOptions().Validate());

        Assert.Contains("InfluxDb:Database must be set for the v1 API", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WhenATokenIsSetThenV2IsInferredAndOrgAndBucketAreRequired()
    {
        var options = new InfluxDbOptions { Token = "t" };

        var error = Assert.Throws<InvalidOperationException>(options.Validate);

        Assert.Equal(InfluxDbApiVersion.V2, options.EffectiveApiVersion);
        Assert.Contains("InfluxDb:Org must be set for the v2 API", error.Message, StringComparison.Ordinal);
        Assert.Contains("InfluxDb:Bucket must be set for the v2 API", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WhenTheUrlIsNotHttpThenValidationNamesTheUrl()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new InfluxDbOptions { Url = "ftp://x", Database = "d" }.Validate());

        Assert.Contains("InfluxDb:Url", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"error\":\"boom\"}", "boom")]
    [InlineData("{\"code\":\"invalid\",\"message\":\"bad line\"}", "bad line")]
    [InlineData("  plain text \n", "plain text")]
    [InlineData("{not json", "{not json")]
    [InlineData("", "")]
    public void WhenExtractingAnErrorThenTheJsonMessageOrTheTextIsReturned(string body, string expected)
    {
        Assert.Equal(expected, InfluxDbResponses.ExtractError(body));
    }

    [Fact]
    public void WhenRetryAfterIsAnHttpDateThenTheDelayIsMeasuredFromNow()
    {
        var now = new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);

        var delay = InfluxDbResponses.ParseRetryAfter(new RetryConditionHeaderValue(now.AddSeconds(90)), now);

        Assert.Equal(TimeSpan.FromSeconds(90), delay);
        Assert.Equal(TimeSpan.Zero, InfluxDbResponses.ParseRetryAfter(new RetryConditionHeaderValue(now.AddSeconds(-5)), now));
        Assert.Null(InfluxDbResponses.ParseRetryAfter(null, now));
    }
}
