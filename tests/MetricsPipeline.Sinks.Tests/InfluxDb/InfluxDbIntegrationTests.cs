using System.Text.Json;
using MetricsPipeline.Ingest.Model;
using MetricsPipeline.Sinks.Batching;
using MetricsPipeline.Sinks.InfluxDb;
using MetricsPipeline.Sinks.Tests.Support;
using MetricsPipeline.Testing;
using Xunit;

namespace MetricsPipeline.Sinks.Tests.InfluxDb;

/// <summary>Against a real InfluxDB 1.x (see <see cref="InfluxDbServer"/>); under CI=true a missing server fails these.</summary>
public sealed class InfluxDbIntegrationTests(InfluxDbFixture fixture) : IClassFixture<InfluxDbFixture>
{
    private const long BaseNs = 1_700_000_000_123_456_789;

    private static string Quote(string identifier) => "\"" + identifier.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    private static string NewDatabase() => "it_" + Guid.NewGuid().ToString("N")[..12];

    private async Task<(InfluxDbServer Server, string Db, InfluxDbOptions Options)> PrepareAsync(TimestampPrecision precision = TimestampPrecision.Nanoseconds)
    {
        var server = fixture.Server;
        var db = NewDatabase();
        var options = new InfluxDbOptions { Url = server.Url, Database = db, Precision = precision };
        await new InfluxDbWriter(options).EnsureDatabaseAsync(TestContext.Current.CancellationToken);
        return (server, db, options);
    }

    [Fact]
    public async Task WhenPointsWithEveryFieldTypeAndHostileNamesAreWrittenThenQueryingReturnsThemUnchanged()
    {
        var (server, db, options) = await PrepareAsync();
        const string measurement = "cpu load,x=1 \"quoted\" é";
        var points = new[]
        {
            new MetricPoint(
                measurement,
                [new("host name", "web 01,eu=west"), new("zone", "ü-€-🚀")],
                [
                    new("f loat,x=y", FieldValue.FromDouble(-1.25e-7)),
                    new("int", FieldValue.FromInt64(long.MinValue)),
                    new("bool", FieldValue.FromBoolean(true)),
                    new("text", FieldValue.FromString("say \"hi\"\\ back\nnext line, a=b")),
                ],
                BaseNs),
            new MetricPoint(
                measurement,
                [new("host name", "web 02"), new("zone", "z")],
                [
                    new("f loat,x=y", FieldValue.FromDouble(1e300)),
                    new("int", FieldValue.FromInt64(long.MaxValue)),
                    new("bool", FieldValue.FromBoolean(false)),
                    new("text", FieldValue.FromString(string.Empty)),
                ],
                BaseNs + 1),
        };
        await using (var sink = InfluxDbSink.Create(options))
        {
            var ack = await sink.EnqueueAsync(points, TestContext.Current.CancellationToken);
            await sink.FlushAsync(TestContext.Current.CancellationToken);
            await ack.WaitAsync(TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken);
            Assert.Equal(2, sink.Statistics.ItemsWritten);
        }

        var result = await server.QueryAsync(db, $"SELECT * FROM {Quote(measurement)} ORDER BY time");

        var series = Assert.Single(result.Series);
        Assert.Equal(measurement, series.Name);
        Assert.Equal(2, series.Rows.Count);
        for (var row = 0; row < points.Length; row++)
        {
            var point = points[row];
            Assert.Equal(point.TimestampNs, series.Get(row, "time").GetInt64());
            Assert.Equal(point.GetTag("host name"), series.Get(row, "host name").GetString());
            Assert.Equal(point.GetTag("zone"), series.Get(row, "zone").GetString());
            Assert.Equal(point.GetField("f loat,x=y")!.Value.AsDouble, series.Get(row, "f loat,x=y").GetDouble());
            Assert.Equal(point.GetField("int")!.Value.AsInt64, series.Get(row, "int").GetInt64());
            Assert.Equal(point.GetField("bool")!.Value.AsBoolean, series.Get(row, "bool").GetBoolean());
            Assert.Equal(point.GetField("text")!.Value.AsString, series.Get(row, "text").GetString());
        }
    }

    [Fact]
    public async Task WhenWritingWithMicrosecondPrecisionThenTimestampsAreStoredInMicroseconds()
    {
        var (server, db, options) = await PrepareAsync(TimestampPrecision.Microseconds);
        var writer = new InfluxDbWriter(options);

        await writer.WriteBatchAsync([Points.Cpu("a", 1, BaseNs)], TestContext.Current.CancellationToken);

        var result = await server.QueryAsync(db, "SELECT usage FROM cpu");
        Assert.Equal(BaseNs / 1000 * 1000, Assert.Single(result.Series).Get(0, "time").GetInt64());
    }

    [Fact]
    public async Task WhenTheServerRejectsABatchThenItIsDeadLetteredWithTheServersMessageAndLaterBatchesStillArrive()
    {
        var (server, db, options) = await PrepareAsync();
        var deadLetters = new RecordingDeadLetterSink();
        // InfluxDB 1.x OSS does not accept unsigned integers, so this batch is a genuine 400.
        var unsigned = new MetricPoint("u", [], [new("v", FieldValue.FromUInt64(ulong.MaxValue))], BaseNs);
        await using (var sink = InfluxDbSink.Create(options, new BatchingSinkOptions { MaxBatchSize = 1 }, deadLetters))
        {
            var rejected = await sink.EnqueueAsync([unsigned], TestContext.Current.CancellationToken);
            var accepted = await sink.EnqueueAsync([Points.Cpu("ok", 3, BaseNs)], TestContext.Current.CancellationToken);
            await Task.WhenAll(rejected, accepted).WaitAsync(TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken);
            Assert.Equal(1, sink.Statistics.ItemsDeadLettered);
        }

        var letter = Assert.Single(deadLetters.Letters);
        Assert.Equal("http_400", letter.Reason);
        Assert.Contains("unable to parse", letter.Message, StringComparison.Ordinal);
        Assert.Equal(1, (await server.QueryAsync(db, "SELECT usage FROM cpu")).RowCount);
    }

    [Fact]
    public async Task WhenEnsuringADatabaseThenItExistsAndThePingAnswers()
    {
        var server = fixture.Server;
        var db = NewDatabase();
        var writer = new InfluxDbWriter(new InfluxDbOptions { Url = server.Url, Database = db });

        await writer.EnsureDatabaseAsync(TestContext.Current.CancellationToken);
        await writer.EnsureDatabaseAsync(TestContext.Current.CancellationToken);

        Assert.True(await writer.PingAsync(TestContext.Current.CancellationToken));
        var databases = await server.QueryAsync(db, "SHOW DATABASES");
        Assert.Contains(databases.Series.SelectMany(s => s.Rows), r => r[0].GetString() == db);
    }
}
