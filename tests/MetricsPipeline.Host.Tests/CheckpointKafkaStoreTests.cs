using System.Text;
using MetricsPipeline.Analytics.State;
using MetricsPipeline.Host.Hosting;
using MetricsPipeline.Kafka;
using Xunit;

namespace MetricsPipeline.Host.Tests;

/// <summary><see cref="KafkaCheckpointStore"/> on <see cref="KafkaStateTopic"/> against the embedded broker.</summary>
public sealed class CheckpointKafkaStoreTests : IDisposable
{
    private const string Group = "store-test";
    private readonly EmbeddedKafkaBroker _broker = EmbeddedKafkaBroker.Start(new EmbeddedKafkaBrokerOptions { DefaultPartitions = 3 });
    private readonly List<KafkaStateTopic> _topics = [];

    public void Dispose()
    {
        foreach (var topic in _topics)
        {
            topic.Dispose();
        }

        _broker.Dispose();
    }

    [Fact]
    public void WhenAStagesRecordIsLargerThanAChunkThenAnotherInstanceReadsItBackWhole()
    {
        var writer = Store(out var topic);
        topic.EnsureCreated();
        var big = new byte[10_000];
        new Random(7).NextBytes(big);
        var stages = new StageCheckpoint(42, 1_000, new Dictionary<string, byte[]> { ["forecast"] = big, ["scaling"] = [1, 2, 3] });
        writer.SaveStages(Group, stages);
        writer.SavePartition(Group, new PartitionCheckpoint("metrics", 2, 1234, 1_000, 42, 5));

        var reader = Store(out _);
        var partition = reader.LoadPartition(Group, "metrics", 2, 1234);
        var loaded = reader.LoadStages(Group, 42);

        Assert.Null(partition.Problem);
        Assert.Equal(new PartitionCheckpoint("metrics", 2, 1234, 1_000, 42, 5), partition.Value);
        Assert.Null(loaded.Problem);
        Assert.Equal(big, loaded.Value!.States["forecast"]);
        Assert.Equal([1, 2, 3], loaded.Value.States["scaling"]);
        Assert.True(reader.RecordsRead >= 10 + 1 + 1, $"{reader.RecordsRead} records read: the 10 kB state should span at least 10 chunks of 1 kB");
        Assert.Equal(CheckpointRead<PartitionCheckpoint>.Missing, reader.LoadPartition(Group, "metrics", 0, -1));
    }

    [Fact]
    public void WhenTheNewestCheckpointWasCutOffMidWriteThenTheNewestCompleteOneIsRestored()
    {
        var writer = Store(out _);
        Save(writer, sequence: 1, nextOffset: 100);

        // A crash after the chunks of checkpoint 2 but before its manifest, while its partition record got out.
        var crashing = new KafkaCheckpointStore(new CrashBeforeManifestLog(Log(out _)), new KafkaCheckpointStoreOptions { MaxChunkBytes = 1024 });
        Assert.Throws<IOException>(() => crashing.SaveStages(Group, Stages(2)));
        writer.SavePartition(Group, new PartitionCheckpoint("metrics", 1, 200, 2_000, 2, 2));

        var read = Store(out _).LoadPartition(Group, "metrics", 1, 200);

        Assert.Null(read.Problem);
        Assert.Equal(100, read.Value!.NextOffset);
        Assert.Equal(1, read.Value.Sequence);
    }

    [Fact]
    public void WhenARecordIsCorruptThenItIsSkippedCountedAndTheOlderRecordWins()
    {
        var writer = Store(out var topic);
        Save(writer, sequence: 7, nextOffset: 70);
        topic.Write([new("p/metrics/1", Encoding.UTF8.GetBytes("not a checkpoint"))]);

        var reader = Store(out _);
        var read = reader.LoadPartition(Group, "metrics", 1, -1);

        Assert.Equal(70, read.Value!.NextOffset);
        Assert.Equal(1, reader.CorruptRecords);
    }

    [Fact]
    public void WhenSeveralCompleteCheckpointsExistThenTheOneMatchingTheCommittedOffsetWinsElseTheNewest()
    {
        var writer = Store(out _);
        Save(writer, sequence: 1, nextOffset: 10);
        Save(writer, sequence: 2, nextOffset: 20);
        writer.DeleteStages(Group, 1); // retired one checkpoint later: 1 stays a complete fallback

        var reader = Store(out _);

        Assert.Equal(10, reader.LoadPartition(Group, "metrics", 1, 10).Value!.NextOffset);
        Assert.Equal(20, reader.LoadPartition(Group, "metrics", 1, 99).Value!.NextOffset);
        Assert.Equal(20, reader.LoadPartition(Group, "metrics", 1, -1).Value!.NextOffset);
    }

    [Fact]
    public void WhenNoCompleteCheckpointIsLeftThenTheProblemIsReported()
    {
        var writer = Store(out _);
        Save(writer, sequence: 1, nextOffset: 10);
        Save(writer, sequence: 2, nextOffset: 20);
        Save(writer, sequence: 3, nextOffset: 30);
        writer.DeleteStages(Group, 1);
        writer.DeleteStages(Group, 2);
        writer.DeleteStages(Group, 3); // tombstones 1 and 2

        var reader = Store(out var topic);
        topic.Write([new("s/0000000000000003", null)]); // checkpoint 3's manifest lost too

        var read = reader.LoadPartition(Group, "metrics", 1, 30);
        Assert.Null(read.Value);
        Assert.Contains("complete", read.Problem, StringComparison.Ordinal);
    }

    private static void Save(KafkaCheckpointStore store, long sequence, long nextOffset)
    {
        store.SaveStages(Group, Stages(sequence));
        store.SavePartition(Group, new PartitionCheckpoint("metrics", 1, nextOffset, sequence * 1_000, sequence, sequence));
    }

    private static StageCheckpoint Stages(long sequence) =>
        new(sequence, sequence * 1_000, new Dictionary<string, byte[]> { ["s"] = Enumerable.Repeat((byte)sequence, 3_000).ToArray() });

    private KafkaCheckpointStore Store(out KafkaStateTopic topic) =>
        new(Log(out topic), new KafkaCheckpointStoreOptions { MaxChunkBytes = 1024 });

    private KafkaCheckpointLog Log(out KafkaStateTopic topic)
    {
        topic = new KafkaStateTopic(new KafkaStateTopicOptions { BootstrapServers = _broker.BootstrapServers, Topic = KafkaCheckpointLog.TopicName(Group), Partitions = 3 });
        _topics.Add(topic);
        return new KafkaCheckpointLog(topic);
    }

    // Writes everything of an append except a stages manifest, then fails as a crashing process would.
    private sealed class CrashBeforeManifestLog(ICheckpointLog inner) : ICheckpointLog
    {
        public void Append(IReadOnlyList<KeyValuePair<string, byte[]?>> records)
        {
            inner.Append([.. records.Where(r => r.Key.Count(c => c == '/') != 1 || !r.Key.StartsWith("s/", StringComparison.Ordinal))]);
            throw new IOException("crashed before the manifest");
        }

        public void ReadNew(Action<string, byte[]?> onRecord) => inner.ReadNew(onRecord);
    }
}
