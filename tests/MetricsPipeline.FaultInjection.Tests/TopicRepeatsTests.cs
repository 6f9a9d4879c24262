using Xunit;

namespace MetricsPipeline.FaultInjection.Tests;

public class TopicRepeatsTests
{
    [Fact]
    public void WhenBatchesAreAppendedAgainRightAfterThemselvesThenTheyCountAsResentAndTheDistinctRecordsAreTheProducedOnes()
    {
        // Partition 0: a, b in flight when the broker went down, resent, then c. Partition 1: d resent twice.
        var records = Log(0, "a", "b", "a", "b", "c").Concat(Log(1, "d", "d", "d", "e")).ToList();

        var repeats = TopicRepeats.Find(records);

        Assert.Empty(repeats.Unexplained);
        Assert.Equal(["partition 0, offsets 2..3 (2 records)", "partition 1, offsets 1..2 (2 records)"], repeats.Resent);
        Assert.Equal(4, repeats.ResentRecords);
        Assert.Equal(["a", "b", "c", "d", "e"], repeats.Distinct.Select(r => r.Value));
    }

    [Fact]
    public void WhenARecordAppearsAgainAfterNewerRecordsThenItIsUnexplained()
    {
        var records = Log(0, "a", "b", "c", "a", "d").Concat(Log(1, "x", "y", "y", "z", "x")).ToList();

        var repeats = TopicRepeats.Find(records);

        Assert.Equal(["partition 0 offset 3: a", "partition 1 offset 4: x"], repeats.Unexplained);
        Assert.Equal(["partition 1, offsets 2..2 (1 records)"], repeats.Resent);
    }

    [Fact]
    public void WhenTheSameValueIsInTwoPartitionsThenItIsNoRepeat()
    {
        var repeats = TopicRepeats.Find(Log(0, "a").Concat(Log(1, "a")));

        Assert.Empty(repeats.Unexplained);
        Assert.Empty(repeats.Resent);
        Assert.Equal(2, repeats.Distinct.Count);
    }

    private static IEnumerable<TopicRecord> Log(int partition, params string[] values) =>
        values.Select((v, offset) => new TopicRecord(partition, offset, v));
}
