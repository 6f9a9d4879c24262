using MetricsPipeline.Ingest.Model;
using MetricsPipeline.Sinks.InfluxDb;
using MetricsPipeline.Sinks.Tests.Support;
using MetricsPipeline.Testing;
using Xunit;

namespace MetricsPipeline.Sinks.Tests.InfluxDb;

/// <summary>Routing points to retention policies by their <c>window</c> tag: URLs against a fake, data against a real influxd.</summary>
public sealed class InfluxDbRetentionPolicyTests(InfluxDbFixture fixture) : IClassFixture<InfluxDbFixture>
{
    private const long T = 1_700_000_000_000_000_000;

    private static MetricPoint Window(string window, double value, long timestampNs) => new(
        "lat",
        [new("service", "api"), new("window", window)],
        [new("v_mean", FieldValue.FromDouble(value))],
        timestampNs);

    private static Dictionary<string, string> Policies() => new() { ["5m"] = "agg_5m", ["1h"] = "agg_1h" };

    [Fact]
    public async Task WhenABatchMixesResolutionsThenEachPartIsPostedWithItsRetentionPolicy()
    {
        await using var server = new FakeInfluxHttpServer();
        var writer = new InfluxDbWriter(new InfluxDbOptions { Url = server.Url, Database = "metrics", RetentionPolicy = "raw", Gzip = false, RetentionPolicies = Policies() });

        await writer.WriteBatchAsync([Window("10s", 1, T), Window("5m", 2, T), Window("1h", 3, T), Window("5m", 4, T + 1)], TestContext.Current.CancellationToken);

        var requests = server.Requests.ToDictionary(r => r.PathAndQuery, r => r.Body);
        Assert.Equal(3, requests.Count);
        Assert.Equal("lat,service=api,window=10s v_mean=1 1700000000000000000\n", requests["/write?db=metrics&rp=raw&precision=ns"]);
        Assert.Equal(
            "lat,service=api,window=5m v_mean=2 1700000000000000000\nlat,service=api,window=5m v_mean=4 1700000000000000001\n",
            requests["/write?db=metrics&rp=agg_5m&precision=ns"]);
        Assert.Equal("lat,service=api,window=1h v_mean=3 1700000000000000000\n", requests["/write?db=metrics&rp=agg_1h&precision=ns"]);
    }

    [Fact]
    public async Task WhenTheV2ApiIsUsedThenEachPolicyIsWrittenToItsMappedBucket()
    {
        await using var server = new FakeInfluxHttpServer();
        var options = new InfluxDbOptions
        {
            Url = server.Url,
            Org = "acme",
            Bucket = "metrics",
            Token = "t",
            RetentionPolicies = Policies(),
            RetentionPolicyBuckets = new Dictionary<string, string> { ["agg_5m"] = "metrics_5m", ["agg_1h"] = "metrics_1h" },
        };
        var writer = new InfluxDbWriter(options);

        await writer.WriteBatchAsync([Window("1h", 3, T)], TestContext.Current.CancellationToken);
        await writer.WriteBatchAsync([Window("1m", 3, T)], TestContext.Current.CancellationToken);

        Assert.Equal(
            ["/api/v2/write?org=acme&bucket=metrics_1h&precision=ns", "/api/v2/write?org=acme&bucket=metrics&precision=ns"],
            server.Requests.Select(r => r.PathAndQuery));
    }

    [Fact]
    public void WhenAV2PolicyHasNoBucketThenValidationNamesTheMissingSetting()
    {
        var options = new InfluxDbOptions { Org = "acme", Bucket = "metrics", Token = "t", RetentionPolicies = Policies() };

        var error = Assert.Throws<InvalidOperationException>(options.Validate);

        Assert.Contains("InfluxDb:RetentionPolicyBuckets:agg_5m", error.Message, StringComparison.Ordinal);
        Assert.Contains("InfluxDb:RetentionPolicyBuckets:agg_1h", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WhenRollupPointsAreWrittenToARealInfluxDbThenTheyLandInTheirRetentionPolicyOnly()
    {
        var server = fixture.Server;
        var db = "rp_" + Guid.NewGuid().ToString("N")[..12];
        var options = new InfluxDbOptions { Url = server.Url, Database = db, RetentionPolicies = Policies() };
        var writer = new InfluxDbWriter(options);
        var ct = TestContext.Current.CancellationToken;
        await writer.EnsureDatabaseAsync(ct);
        await writer.EnsureRetentionPoliciesAsync([new("agg_5m", TimeSpan.FromDays(30)), new("agg_1h", TimeSpan.FromDays(400))], ct);
        // Idempotent: a second call with the same policies succeeds.
        await writer.EnsureRetentionPoliciesAsync([new("agg_5m", TimeSpan.FromDays(30))], ct);

        long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1_000_000;
        await writer.WriteBatchAsync([Window("10s", 1, now), Window("5m", 2, now), Window("5m", 5, now - 300_000_000_000), Window("1h", 3, now)], ct);

        var policies = await server.QueryAsync(db, "SHOW RETENTION POLICIES");
        var names = policies.Series.Single().Rows.Select((_, i) => policies.Series.Single().Get(i, "name").GetString()).ToList();
        Assert.Contains("agg_5m", names);
        Assert.Contains("agg_1h", names);

        async Task<List<double>> ValuesIn(string rp)
        {
            var result = await server.QueryAsync(db, $"SELECT v_mean FROM \"{db}\".\"{rp}\".\"lat\" ORDER BY time");
            return result.Series.SelectMany(s => s.Rows.Select((_, i) => s.Get(i, "v_mean").GetDouble())).ToList();
        }

        Assert.Equal([1.0], await ValuesIn("autogen"));
        Assert.Equal([5.0, 2.0], await ValuesIn("agg_5m"));
        Assert.Equal([3.0], await ValuesIn("agg_1h"));
    }
}
