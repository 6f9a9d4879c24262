using System.Text;
using MetricsPipeline.Ingest.Model;
using MetricsPipeline.Sinks.Batching;
using MetricsPipeline.Sinks.InfluxDb;
using MetricsPipeline.Sinks.Tests.Support;
using MetricsPipeline.Testing;
using Xunit;

namespace MetricsPipeline.Sinks.Tests.InfluxDb;

/// <summary>The writer against a loopback fake: URLs, headers, body and status mapping. The v2 API is only tested here
/// because the local influxd (1.6.7) has no /api/v2/write.</summary>
public sealed class InfluxDbWriterHttpTests
{
    private static readonly MetricPoint[] Batch = [Points.Cpu("a", 1.5, 1_700_000_000_000_000_000), Points.Cpu("b", 2, 1_700_000_000_000_000_001)];

    private static string ExpectedBody => "cpu,host=a usage=1.5 1700000000000000000\ncpu,host=b usage=2 1700000000000000001\n";

    [Fact]
    public async Task WhenWritingWithTheV1ApiThenTheUrlBasicAuthGzipAndBodyAreRight()
    {
        await using var server = new FakeInfluxHttpServer();
        var writer = new InfluxDbWriter(new InfluxDbOptions { Url = server.Url + "/", Database = "metrics db", RetentionPolicy = "autogen", Username = "alice", Password = "s3cret:x" });

        await writer.WriteBatchAsync(Batch, TestContext.Current.CancellationToken);

        var request = Assert.Single(server.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/write?db=metrics%20db&rp=autogen&precision=ns", request.PathAndQuery);
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("alice:s3cret:x")), request.Authorization);
        Assert.Equal("gzip", request.ContentEncoding);
        Assert.StartsWith("text/plain", request.ContentType, StringComparison.Ordinal);
        Assert.Equal(ExpectedBody, request.Body);
    }

    [Fact]
    public async Task WhenWritingWithTheV2ApiThenTheUrlAndTokenAreRight()
    {
        await using var server = new FakeInfluxHttpServer();
        var options = new InfluxDbOptions { Url = server.Url, Org = "acme & co", Bucket = "metrics", Token = "tok=en", Precision = TimestampPrecision.Microseconds };
        var writer = new InfluxDbWriter(options);

        await writer.WriteBatchAsync(Batch, TestContext.Current.CancellationToken);

        var request = Assert.Single(server.Requests);
        Assert.Equal(InfluxDbApiVersion.V2, options.EffectiveApiVersion);
        Assert.Equal("/api/v2/write?org=acme%20%26%20co&bucket=metrics&precision=us", request.PathAndQuery);
        Assert.Equal("Token tok=en", request.Authorization);
        Assert.Equal("cpu,host=a usage=1.5 1700000000000000\ncpu,host=b usage=2 1700000000000000\n", request.Body);
    }

    [Fact]
    public async Task WhenGzipIsOffAndThereAreNoCredentialsThenThePlainBodyIsSentWithoutAuthorization()
    {
        await using var server = new FakeInfluxHttpServer();
        var writer = new InfluxDbWriter(new InfluxDbOptions { Url = server.Url, Database = "db", Gzip = false, Precision = TimestampPrecision.Microseconds });

        await writer.WriteBatchAsync(Batch, TestContext.Current.CancellationToken);

        var request = Assert.Single(server.Requests);
        Assert.Null(request.ContentEncoding);
        Assert.Null(request.Authorization);
        Assert.Equal("/write?db=db&precision=u", request.PathAndQuery);
    }

    [Fact]
    public async Task WhenTheServerAnswers400ThenThePermanentFailureCarriesTheServersMessage()
    {
        await using var server = new FakeInfluxHttpServer();
        server.Respond(400, """{"error":"partial write: field type conflict dropped=1"}""");
        var writer = new InfluxDbWriter(new InfluxDbOptions { Url = server.Url, Database = "db" });

        var error = await Assert.ThrowsAsync<PermanentWriteException>(() => writer.WriteBatchAsync(Batch, TestContext.Current.CancellationToken));

        Assert.Equal("http_400", error.Reason);
        Assert.Equal(400, error.StatusCode);
        Assert.Equal("partial write: field type conflict dropped=1", error.Message);
    }

    [Fact]
    public async Task WhenTheServerAnswers404ThenTheFailureIsPermanent()
    {
        await using var server = new FakeInfluxHttpServer();
        server.Respond(404, """{"error":"database not found: \"db\""}""");
        var writer = new InfluxDbWriter(new InfluxDbOptions { Url = server.Url, Database = "db" });

        var error = await Assert.ThrowsAsync<PermanentWriteException>(() => writer.WriteBatchAsync(Batch, TestContext.Current.CancellationToken));

        Assert.Equal("http_404", error.Reason);
        Assert.Equal("database not found: \"db\"", error.Message);
    }

    [Fact]
    public async Task WhenTheServerAnswers429WithRetryAfterSecondsThenTheFailureIsRetryableWithThatDelay()
    {
        await using var server = new FakeInfluxHttpServer();
        server.Respond(429, """{"code":"too many requests","message":"slow down"}""", ("Retry-After", "3"));
        var writer = new InfluxDbWriter(new InfluxDbOptions { Url = server.Url, Database = "db" });

        var error = await Assert.ThrowsAsync<RetryableWriteException>(() => writer.WriteBatchAsync(Batch, TestContext.Current.CancellationToken));

        Assert.Equal(TimeSpan.FromSeconds(3), error.RetryAfter);
        Assert.Equal(429, error.StatusCode);
        Assert.Contains("slow down", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WhenTheServerAnswers503ThenTheFailureIsRetryableWithoutADelay()
    {
        await using var server = new FakeInfluxHttpServer();
        server.Respond(503, "overloaded");
        var writer = new InfluxDbWriter(new InfluxDbOptions { Url = server.Url, Database = "db" });

        var error = await Assert.ThrowsAsync<RetryableWriteException>(() => writer.WriteBatchAsync(Batch, TestContext.Current.CancellationToken));

        Assert.Null(error.RetryAfter);
        Assert.Equal(503, error.StatusCode);
    }

    [Fact]
    public async Task WhenNothingListensThenTheFailureIsRetryable()
    {
        // Refused as by a stopped server, and the port stays taken meanwhile: a server closed just before could have its
        // port handed to another test's server running in parallel, which would then answer this write.
        using var refusing = LoopbackPort.Refusing(out var port);

        var writer = new InfluxDbWriter(new InfluxDbOptions { Url = $"http://127.0.0.1:{port}", Database = "db" });

        await Assert.ThrowsAsync<RetryableWriteException>(() => writer.WriteBatchAsync(Batch, TestContext.Current.CancellationToken));
        Assert.False(await writer.PingAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task WhenEnsuringTheDatabaseThenACreateDatabaseStatementIsPosted()
    {
        await using var server = new FakeInfluxHttpServer();
        server.Respond(200, """{"results":[{"statement_id":0}]}""");
        var writer = new InfluxDbWriter(new InfluxDbOptions { Url = server.Url, Database = "we\"ird" });

        await writer.EnsureDatabaseAsync(TestContext.Current.CancellationToken);

        var request = Assert.Single(server.Requests);
        Assert.Equal("/query", request.PathAndQuery);
        Assert.Equal("q=" + Uri.EscapeDataString("CREATE DATABASE \"we\\\"ird\"").Replace("%20", "+", StringComparison.Ordinal), request.Body);
    }

    [Fact]
    public async Task WhenTheSinkWritesThroughAPermanentFailureThenTheDeadLetterHoldsTheLineProtocolAndMessage()
    {
        await using var server = new FakeInfluxHttpServer();
        server.Respond(400, """{"error":"unable to parse: invalid number"}""");
        var deadLetters = new RecordingDeadLetterSink();
        await using var sink = InfluxDbSink.Create(new InfluxDbOptions { Url = server.Url, Database = "db" }, new BatchingSinkOptions { MaxBatchSize = 2 }, deadLetters);

        var ack = await sink.EnqueueAsync(Batch, TestContext.Current.CancellationToken);
        await ack.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

        var letter = Assert.Single(deadLetters.Letters);
        Assert.Equal("influxdb", letter.Stage);
        Assert.Equal("http_400", letter.Reason);
        Assert.Equal("unable to parse: invalid number", letter.Message);
        Assert.Equal(ExpectedBody, Encoding.UTF8.GetString(letter.Payload.Span));
    }
}
