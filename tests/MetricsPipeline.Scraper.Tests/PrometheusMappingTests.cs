using MetricsPipeline.Ingest.LineProtocol;
using MetricsPipeline.Scraper;
using Xunit;

namespace MetricsPipeline.Scraper.Tests;

public sealed class PrometheusMappingTests
{
    private const string Text = """
        # HELP http_requests_total The total number of HTTP requests.
        # TYPE http_requests_total counter
        http_requests_total{method="post",code="200"} 1027 1395066363000
        http_requests_total{method="post",code="400"}    3 1395066363000
        # A normal comment
        # HELP temperature Room temperature with an escaped \\ backslash.
        # TYPE temperature gauge
        temperature{room="a \"big\" one"} -3.5
        # TYPE rpc_seconds histogram
        rpc_seconds_bucket{le="0.05"} 24054
        rpc_seconds_bucket{le="0.1"} 33444
        rpc_seconds_bucket{le="+Inf"} 144320
        rpc_seconds_sum 53423
        rpc_seconds_count 144320
        # TYPE rpc_duration summary
        rpc_duration{quantile="0.5"} 4773
        rpc_duration{quantile="0.99"} NaN
        rpc_duration_sum 1.7560473e+07
        rpc_duration_count 2693
        plain_untyped 7
        bad line here
        """;

    [Fact]
    public void WhenATextExpositionIsParsedThenTypesHelpAndSamplesAreKept()
    {
        var exposition = PrometheusTextParser.Parse(Text, openMetrics: false);
        var byName = exposition.Families.ToDictionary(f => f.Name);
        Assert.Equal(PrometheusMetricType.Counter, byName["http_requests_total"].Type);
        Assert.Equal("The total number of HTTP requests.", byName["http_requests_total"].Help);
        Assert.Equal("Room temperature with an escaped \\ backslash.", byName["temperature"].Help);
        Assert.Equal("a \"big\" one", byName["temperature"].Samples[0].Labels[0].Value);
        Assert.Equal(5, byName["rpc_seconds"].Samples.Count);
        Assert.Equal(4, byName["rpc_duration"].Samples.Count);
        Assert.Equal(PrometheusMetricType.Untyped, byName["plain_untyped"].Type);
        Assert.Equal(1_395_066_363_000_000_000, byName["http_requests_total"].Samples[0].TimestampNs);
        Assert.Single(exposition.Errors);
        Assert.StartsWith("line 21:", exposition.Errors[0], StringComparison.Ordinal);
    }

    [Fact]
    public void WhenFamiliesAreMappedThenTheDocumentedLineProtocolComesOut()
    {
        var exposition = PrometheusTextParser.Parse(Text, openMetrics: false);
        var (points, skipped) = PrometheusLineMapper.Map(exposition, [new("job", "node"), new("code", "ignored")], 42);
        var lines = points.Select(p => LineProtocolWriter.ToLine(p).TrimEnd('\n')).ToList();
        Assert.Equal(1, skipped);
        Assert.Contains("http_requests_total,code=200,job=node,method=post counter=1027 1395066363000000000", lines);
        Assert.Contains("temperature,code=ignored,job=node,room=a\\ \"big\"\\ one gauge=-3.5 42", lines);
        Assert.Contains("rpc_seconds,code=ignored,job=node,le=0.05 bucket=24054 42", lines);
        Assert.Contains("rpc_seconds,code=ignored,job=node,le=+Inf bucket=144320 42", lines);
        Assert.Contains("rpc_seconds,code=ignored,job=node sum=53423,count=144320 42", lines);
        Assert.Contains("rpc_duration,code=ignored,job=node,quantile=0.5 value=4773 42", lines);
        Assert.Contains("rpc_duration,code=ignored,job=node sum=17560473,count=2693 42", lines);
        Assert.Contains("plain_untyped,code=ignored,job=node value=7 42", lines);
        Assert.DoesNotContain(lines, l => l.Contains("quantile=0.99", StringComparison.Ordinal));
    }

    [Fact]
    public void WhenOpenMetricsIsParsedThenCountersDropTotalTimestampsAreSecondsAndCreatedAndExemplarsAreIgnored()
    {
        const string om = """
            # TYPE acme_http_router_request_seconds histogram
            # UNIT acme_http_router_request_seconds seconds
            acme_http_router_request_seconds_bucket{le="0.1"} 8 # {trace_id="KOO5S4vxi0o"} 0.067 1520879607.789
            acme_http_router_request_seconds_bucket{le="+Inf"} 9
            acme_http_router_request_seconds_sum 3.2
            acme_http_router_request_seconds_count 9
            acme_http_router_request_seconds_created 1520430000.123
            # TYPE jobs counter
            # HELP jobs Jobs done.
            jobs_total{kind="a"} 17 1520879607.5
            jobs_created{kind="a"} 1520430000
            # EOF
            """;
        var exposition = PrometheusTextParser.Parse(om, openMetrics: true);
        Assert.Empty(exposition.Errors);
        var histogram = exposition.Families.Single(f => f.Name == "acme_http_router_request_seconds");
        Assert.Equal("seconds", histogram.Unit);
        var (points, _) = PrometheusLineMapper.Map(exposition, [], 1);
        var lines = points.Select(p => LineProtocolWriter.ToLine(p).TrimEnd('\n')).ToList();
        Assert.Equal(
            new[]
            {
                "acme_http_router_request_seconds sum=3.2,count=9 1",
                "acme_http_router_request_seconds,le=+Inf bucket=9 1",
                "acme_http_router_request_seconds,le=0.1 bucket=8 1",
                "jobs,kind=a counter=17 1520879607500000000",
            }.Order(StringComparer.Ordinal),
            lines.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void WhenTheInputIsGarbageThenNoExceptionEscapes()
    {
        var random = new Random(7);
        for (var i = 0; i < 20_000; i++)
        {
            var chars = new char[random.Next(0, 80)];
            for (var j = 0; j < chars.Length; j++)
            {
                const string alphabet = "ab_{}=\",# \n\\0.9e+-InfNa";
                chars[j] = alphabet[random.Next(alphabet.Length)];
            }

            var exposition = PrometheusTextParser.Parse(new string(chars), openMetrics: i % 2 == 0);
            PrometheusLineMapper.Map(exposition, [], 0);
        }
    }
}
