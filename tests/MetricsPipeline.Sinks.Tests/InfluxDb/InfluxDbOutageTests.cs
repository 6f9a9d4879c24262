using MetricsPipeline.Ingest.Model;
using MetricsPipeline.Sinks.Batching;
using MetricsPipeline.Sinks.InfluxDb;
using MetricsPipeline.Sinks.Tests.Support;
using MetricsPipeline.Testing;
using Xunit;

namespace MetricsPipeline.Sinks.Tests.InfluxDb;

/// <summary>
/// Fault injection against a real InfluxDB that this test stops and restarts. Real time is used here because the
/// server is real; the backoff is kept small so the test stays short.
/// </summary>
public sealed class InfluxDbOutageTests
{
    [Fact]
    public async Task WhenInfluxDbIsDownForAWhileThenEveryPointArrivesExactlyOnceAfterItComesBack()
    {
        var ct = TestContext.Current.CancellationToken;
        InfluxDbServer server;
        try
        {
            server = await InfluxDbServer.StartAsync(stoppable: true, ct);
        }
        catch (InfluxDbUnavailableException ex) when (!InfluxDbServer.IsCi)
        {
            Assert.Skip(ex.Message);
            throw;
        }

        await using var _ = server;
        const string db = "outage";
        await server.CreateDatabaseAsync(db);
        var batching = new BatchingSinkOptions
        {
            MaxBatchSize = 50,
            FlushInterval = TimeSpan.FromMilliseconds(20),
            InitialBackoff = TimeSpan.FromMilliseconds(20),
            MaxBackoff = TimeSpan.FromMilliseconds(200),
        };
        var influx = new InfluxDbOptions { Url = server.Url, Database = db, Timeout = TimeSpan.FromSeconds(2) };
        var deadLetters = new RecordingDeadLetterSink();
        await using var sink = InfluxDbSink.Create(influx, batching, deadLetters);
        var acks = new List<Task>();
        var seq = 0;
        async Task<Task> SendAsync()
        {
            var chunk = new MetricPoint[20];
            for (var i = 0; i < chunk.Length; i++, seq++)
            {
                chunk[i] = new MetricPoint("events", [new("source", "outage-test")], [new("seq", FieldValue.FromInt64(seq))], 1_700_000_000_000_000_000 + (seq * 1_000_000L));
            }

            var ack = await sink.EnqueueAsync(chunk, ct);
            acks.Add(ack);
            return ack;
        }

        for (var i = 0; i < 10; i++)
        {
            await SendAsync();
        }

        await Task.WhenAll(acks).WaitAsync(TimeSpan.FromSeconds(20), ct);
        await server.StopAsync();

        Task lastWhileDown = Task.CompletedTask;
        for (var i = 0; i < 10; i++)
        {
            lastWhileDown = await SendAsync();
        }

        await Eventually.TrueAsync(() => sink.Statistics.Retries >= 3, "writes fail and are retried while InfluxDB is down", 20);
        Assert.False(lastWhileDown.IsCompleted);

        await server.StartAgainAsync();
        for (var i = 0; i < 10; i++)
        {
            await SendAsync();
        }

        await Task.WhenAll(acks).WaitAsync(TimeSpan.FromSeconds(30), ct);

        var result = await server.QueryAsync(db, "SELECT seq FROM events ORDER BY time");
        var seqs = Assert.Single(result.Series).Rows.Select(r => r[1].GetInt64()).ToArray();
        Assert.Equal(Enumerable.Range(0, 600).Select(i => (long)i).ToArray(), seqs);
        Assert.Equal(600, sink.Statistics.ItemsWritten);
        Assert.Equal(0, sink.Statistics.ItemsDeadLettered);
        Assert.Equal(0, sink.Statistics.ItemsDropped);
        Assert.Empty(deadLetters.Letters);
    }
}
