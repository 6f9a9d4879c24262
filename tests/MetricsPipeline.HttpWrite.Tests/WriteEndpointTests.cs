using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using MetricsPipeline.HttpWrite;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace MetricsPipeline.HttpWrite.Tests;

public sealed class WriteEndpointTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);

    private static async Task<(HttpWriteServer Server, HttpClient Client)> StartAsync(ListTarget target, HttpWriteOptions? options = null, MemoryDeadLetters? letters = null)
    {
        options ??= new HttpWriteOptions();
        options.Listen = "127.0.0.1:0";
        var server = await HttpWriteServer.StartAsync(options, target, letters, timeProvider: new FakeTimeProvider(Now), cancellationToken: TestContext.Current.CancellationToken);
        return (server, new HttpClient { BaseAddress = server.Address });
    }

    private static StringContent Body(string text) => new(text, Encoding.UTF8, "text/plain");

    [Fact]
    public async Task WhenAV1WriteIsValidThenItAnswers204AndForwardsNanosecondLines()
    {
        var target = new ListTarget();
        var (server, client) = await StartAsync(target);
        await using var _ = server;
        using var __ = client;
        using var response = await client.PostAsync("write?db=telegraf&precision=s", Body("cpu,host=a usage=1.5 1700000000\nmem,host=a used=3i\n"), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var nowNs = (Now - DateTimeOffset.UnixEpoch).Ticks * 100;
        Assert.Equal(["cpu,host=a usage=1.5 1700000000000000000\n", $"mem,host=a used=3i {nowNs}\n"], target.Lines.ToArray());
        Assert.StartsWith("http://127.0.0.1:", server.Address.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WhenOneLineIsBadThenV1Answers400WithTheFirstErrorAndWritesTheRest()
    {
        var target = new ListTarget();
        var letters = new MemoryDeadLetters();
        var (server, client) = await StartAsync(target, letters: letters);
        await using var _ = server;
        using var __ = client;
        using var response = await client.PostAsync("write?db=x", Body("a v=1 1\nb v=1x 2\nc v=2 3\nd v= 4\n"), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        var error = json.RootElement.GetProperty("error").GetString()!;
        Assert.StartsWith("partial write: unable to parse 'b v=1x 2': line 2", error, StringComparison.Ordinal);
        Assert.EndsWith("dropped=2", error, StringComparison.Ordinal);
        Assert.Equal(["a v=1 1\n", "c v=2 3\n"], target.Lines.ToArray());
        Assert.Equal(2, letters.Letters.Count);
        Assert.Equal(2, server.Statistics.LinesRejected);
        Assert.Equal(2, server.Statistics.LinesAccepted);
    }

    [Fact]
    public async Task WhenAV2WriteHasABadLineThenTheBodyHasCodeInvalidAndTheCounts()
    {
        var target = new ListTarget();
        var (server, client) = await StartAsync(target);
        await using var _ = server;
        using var __ = client;
        using var response = await client.PostAsync("api/v2/write?org=o&bucket=b&precision=ms", Body("a v=1 5\nb v=\"open 6\n"), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal("invalid", json.RootElement.GetProperty("code").GetString());
        Assert.Contains("1 line(s), 1 written", json.RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(["a v=1 5000000\n"], target.Lines.ToArray());
    }

    [Fact]
    public async Task WhenATokenIsConfiguredThenOnlyRequestsCarryingItAreAccepted()
    {
        var target = new ListTarget();
        var (server, client) = await StartAsync(target, new HttpWriteOptions { Token = "s3cret" });
        await using var _ = server;
        using var __ = client;
        using (var anonymous = await client.PostAsync("api/v2/write?bucket=b", Body("a v=1"), TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        }

        using (var wrong = new HttpRequestMessage(HttpMethod.Post, "api/v2/write?bucket=b") { Content = Body("a v=1") })
        {
            wrong.Headers.Authorization = new AuthenticationHeaderValue("Token", "nope");
            using var r = await client.SendAsync(wrong, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode);
        }

        using (var good = new HttpRequestMessage(HttpMethod.Post, "api/v2/write?bucket=b") { Content = Body("a v=1") })
        {
            good.Headers.Authorization = new AuthenticationHeaderValue("Token", "s3cret");
            using var r = await client.SendAsync(good, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.NoContent, r.StatusCode);
        }

        using (var v1 = await client.PostAsync("write?db=d&u=me&p=s3cret", Body("a v=2"), TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.NoContent, v1.StatusCode);
        }

        Assert.Equal(2, target.Lines.Count);
        Assert.Equal(2, server.Statistics.Unauthorized);
    }

    [Fact]
    public async Task WhenTheBodyIsGzipThenItIsDecompressedAndTooLargeBodiesGet413()
    {
        var target = new ListTarget();
        var (server, client) = await StartAsync(target, new HttpWriteOptions { MaxBodyBytes = 10_000 });
        await using var _ = server;
        using var __ = client;
        var text = string.Concat(Enumerable.Range(0, 100).Select(i => $"m,host=h{i} v={i}i {i}\n"));
        using (var gz = Gzip(text))
        using (var response = await client.PostAsync("write?db=d", gz, TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        }

        Assert.Equal(100, target.Lines.Count);

        // 30 000 bytes of zeros compress to a few hundred: the bound applies after decompression too.
        using (var bomb = Gzip(new string('0', 30_000)))
        using (var response = await client.PostAsync("write?db=d", bomb, TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        }

        using (var plain = await client.PostAsync("write?db=d", Body(new string('x', 20_000)), TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, plain.StatusCode);
        }

        Assert.Equal(2, server.Statistics.TooLarge);
    }

    [Fact]
    public async Task WhenAllWriteSlotsAreBusyThenTheNextRequestGets429WithRetryAfter()
    {
        using var gate = new ManualResetEventSlim(false);
        var target = new ListTarget { Gate = gate };
        var (server, client) = await StartAsync(target, new HttpWriteOptions { MaxConcurrentWrites = 1, RetryAfterSeconds = 2 });
        await using var _ = server;
        using var __ = client;
        var blocked = client.PostAsync("write?db=d", Body("a v=1"), TestContext.Current.CancellationToken);
        // The first request holds the only slot until the gate opens (bounded: a request that never arrives fails here).
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (server.Statistics.InFlight == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "the first request never took the write slot");
            await Task.Delay(5, TestContext.Current.CancellationToken);
        }

        using (var throttled = await client.PostAsync("write?db=d", Body("b v=1"), TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(2), throttled.Headers.RetryAfter?.Delta);
        }

        gate.Set();
        using (var first = await blocked)
        {
            Assert.Equal(HttpStatusCode.NoContent, first.StatusCode);
        }

        Assert.Equal(1, server.Statistics.Throttled);
        Assert.Equal(["a v=1 " + ((Now - DateTimeOffset.UnixEpoch).Ticks * 100) + "\n"], target.Lines.ToArray());
    }

    [Fact]
    public async Task WhenAFieldChangesTypeOrASeriesExceedsCardinalityThenThoseLinesAreRejectedByReason()
    {
        var target = new ListTarget();
        var letters = new MemoryDeadLetters();
        var (server, client) = await StartAsync(target, new HttpWriteOptions { MaxSeriesPerMeasurement = 3 }, letters);
        await using var _ = server;
        using var __ = client;
        var body = "cpu,host=a v=1.5 1\ncpu,host=a v=2i 2\ncpu,host=b v=1 3\ncpu,host=c v=1 4\ncpu,host=d v=1 5\ncpu,host=a v=3 6\n";
        using var response = await client.PostAsync("write?db=d", Body(body), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["cpu,host=a v=1.5 1\n", "cpu,host=b v=1 3\n", "cpu,host=c v=1 4\n", "cpu,host=a v=3 6\n"], target.Lines.ToArray());
        var byReason = server.Statistics.RejectedByReason;
        Assert.Equal(1, byReason[SeriesGuard.FieldTypeConflict]);
        Assert.Equal(1, byReason[SeriesGuard.SeriesCardinalityExceeded]);
        Assert.Equal([SeriesGuard.FieldTypeConflict, SeriesGuard.SeriesCardinalityExceeded], letters.Letters.Select(l => l.Reason).ToArray());
    }

    [Fact]
    public async Task WhenLinesBreakLimitsThenEachReasonIsCountedAndTheRestIsWritten()
    {
        var target = new ListTarget();
        var limits = new Ingest.LineProtocol.LineProtocolLimits { MaxLineBytes = 100, MaxTags = 2, MinTimestampNs = 0, MaxTimestampNs = 2_000_000_000_000_000_000 };
        var (server, client) = await StartAsync(target, new HttpWriteOptions { Limits = limits });
        await using var _ = server;
        using var __ = client;
        var body = Encoding.UTF8.GetBytes("ok v=1 1\n" + "long v=\"" + new string('x', 200) + "\" 1\nt,a=1,b=2,c=3 v=1 1\nn v=NaN 1\nf v=1 9000000000000000000\np v=1 -5\n");
        using var content = new ByteArrayContent([.. body, .. "u v=\""u8.ToArray(), 0xff, 0xfe, .. "\" 1\n"u8.ToArray()]);
        using var response = await client.PostAsync("write?db=d", content, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var byReason = server.Statistics.RejectedByReason;
        Assert.Equal(1, byReason["line_too_long"]);
        Assert.Equal(1, byReason["too_many_tags"]);
        Assert.Equal(1, byReason["non_finite_float"]);
        Assert.Equal(2, byReason["timestamp_out_of_range"]);
        Assert.Equal(1, byReason[LineForwarder.InvalidUtf8]);
        Assert.Single(target.Lines);
        Assert.Contains("ok v=1 1\n", target.Lines);
    }

    [Fact]
    public async Task WhenPingIsCalledThenItAnswers204LikeInfluxDb()
    {
        var (server, client) = await StartAsync(new ListTarget());
        await using var _ = server;
        using var __ = client;
        using var response = await client.GetAsync("ping", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.True(response.Headers.Contains("X-Influxdb-Version"));
    }

    [Fact]
    public void WhenListenIsNotHostPortThenParsingFails()
    {
        Assert.Equal(8186, HttpWriteServer.ParseListen("127.0.0.1:8186").Port);
        Assert.Throws<FormatException>(() => HttpWriteServer.ParseListen("nonsense"));
        Assert.Equal("127.0.0.1:8186", new HttpWriteOptions().Listen);
    }

    private static ByteArrayContent Gzip(string text)
    {
        using var memory = new MemoryStream();
        using (var gzip = new GZipStream(memory, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(Encoding.UTF8.GetBytes(text));
        }

        var content = new ByteArrayContent(memory.ToArray());
        content.Headers.ContentEncoding.Add("gzip");
        return content;
    }
}
