using MetricsPipeline.Sinks.Batching;
using MetricsPipeline.Sinks.Tests.Support;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace MetricsPipeline.Sinks.Tests.Batching;

public sealed class BatchingSinkConcurrencyTests
{
    [Fact]
    public async Task WhenProducersRaceAndWritesFailAtRandomThenEveryItemIsWrittenOnceInEachProducersOrder()
    {
        // Zero backoff and FlushAsync keep this free of time; the failures and the interleaving are what is tested.
        var time = new FakeTimeProvider();
        var failures = new Random(12345);
        var writer = new ScriptedWriter<(int Producer, int Seq)>(time)
        {
            Otherwise = () =>
            {
                lock (failures)
                {
                    return failures.Next(5) == 0 ? Task.FromException(new RetryableWriteException("flaky")) : Task.CompletedTask;
                }
            },
        };
        var options = new BatchingSinkOptions { MaxBatchSize = 37, BufferCapacity = 100, InitialBackoff = TimeSpan.Zero, MaxBackoff = TimeSpan.Zero };
        var sink = new BatchingSink<(int, int)>(writer, options, "stress", timeProvider: time);
        await using var owner = SinkDisposal.Owning(sink, time);
        var sizes = Enumerable.Range(0, 60).Select(i => 1 + ((i * 7919) % 30)).ToArray();

        var producers = Enumerable.Range(0, 4).Select(p => Task.Run(async () =>
        {
            var acks = new List<Task>();
            var seq = 0;
            foreach (var size in sizes)
            {
                var items = Enumerable.Range(seq, size).Select(s => (p, s)).ToArray();
                seq += size;
                acks.Add(await sink.EnqueueAsync(items, TestContext.Current.CancellationToken));
                Assert.InRange(sink.Statistics.CurrentBuffered, 0, options.BufferCapacity);
            }

            await sink.FlushAsync(TestContext.Current.CancellationToken);
            await Task.WhenAll(acks);
        })).ToArray();
        await Task.WhenAll(producers).WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        var written = writer.Written.SelectMany(b => b).ToArray();
        var perProducer = sizes.Sum();
        Assert.Equal(4 * perProducer, written.Length);
        for (var p = 0; p < 4; p++)
        {
            var producer = p;
            Assert.Equal(Enumerable.Range(0, perProducer).ToArray(), written.Where(w => w.Producer == producer).Select(w => w.Seq).ToArray());
        }

        Assert.True(sink.Statistics.Retries > 0, "the scripted failures should have caused retries");
        Assert.Equal(written.Length, sink.Statistics.ItemsWritten);
        Assert.All(writer.Written, b => Assert.InRange(b.Length, 1, options.MaxBatchSize));
    }
}
