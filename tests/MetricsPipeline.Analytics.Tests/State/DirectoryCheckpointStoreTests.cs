using MetricsPipeline.Analytics.State;
using Xunit;

namespace MetricsPipeline.Analytics.Tests.State;

public sealed class DirectoryCheckpointStoreTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "mp-ckpt-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Fact]
    public void WhenARecordIsSavedThenTheLatestOneIsLoadedPerGroupAndPartition()
    {
        var store = new DirectoryCheckpointStore(_root);
        store.SavePartition("g", new PartitionCheckpoint("metrics", 1, 10, 100, 5, 0));
        store.SavePartition("g", new PartitionCheckpoint("metrics", 1, 20, 200, 6, 0));
        store.SavePartition("other", new PartitionCheckpoint("metrics", 1, 99, 900, 7, 0));

        Assert.Equal(20, store.LoadPartition("g", "metrics", 1).Value!.NextOffset);
        Assert.Equal(99, store.LoadPartition("other", "metrics", 1).Value!.NextOffset);
        Assert.Equal(CheckpointRead<PartitionCheckpoint>.Missing, store.LoadPartition("g", "metrics", 2));
        Assert.Empty(Directory.GetFiles(_root, "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public void WhenAFileIsCorruptThenLoadingReportsTheProblemInsteadOfThrowing()
    {
        var store = new DirectoryCheckpointStore(_root);
        store.SavePartition("g", new PartitionCheckpoint("metrics", 0, 10, 100, 5, 0));
        store.SaveStages("g", new StageCheckpoint(5, 100, new Dictionary<string, byte[]> { ["x"] = [1, 2, 3] }));
        foreach (var file in Directory.GetFiles(_root, "*.ckpt", SearchOption.AllDirectories))
        {
            var bytes = File.ReadAllBytes(file);
            File.WriteAllBytes(file, bytes.AsSpan(0, bytes.Length - 3).ToArray());
        }

        var partition = store.LoadPartition("g", "metrics", 0);
        var stages = store.LoadStages("g", 5);
        Assert.Null(partition.Value);
        Assert.Contains("truncated", partition.Problem, StringComparison.Ordinal);
        Assert.Null(stages.Value);
        Assert.NotNull(stages.Problem);
        store.DeleteStages("g", 5);
        Assert.Equal(CheckpointRead<StageCheckpoint>.Missing, store.LoadStages("g", 5));
    }
}
