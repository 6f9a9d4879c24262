using Xunit;

namespace MetricsPipeline.Kafka.Tests;

public sealed class PartitionProgressTests
{
    [Fact]
    public void WhenOffsetsFollowEachOtherThenNoGapIsReported()
    {
        var progress = new PartitionProgress(10);
        Assert.Equal(0, progress.Advance(10));
        Assert.Equal(0, progress.Advance(11));
        Assert.Equal(12, progress.Position);
    }

    [Fact]
    public void WhenAnOffsetJumpsAheadThenTheGapSizeIsReported()
    {
        var progress = new PartitionProgress(10);
        Assert.Equal(5, progress.Advance(15));
        Assert.Equal(0, progress.Advance(16));
    }

    [Fact]
    public void WhenTheStartIsUnknownOrARecordIsRedeliveredThenNoGapIsReported()
    {
        var progress = new PartitionProgress();
        Assert.Equal(0, progress.Advance(1000));
        Assert.Equal(0, progress.Advance(500));
        Assert.Equal(501, progress.Position);
    }

    [Fact]
    public void WhenAcknowledgementsArriveOutOfOrderThenTheHighestIsKept()
    {
        var progress = new PartitionProgress();
        Assert.True(progress.TryAcknowledge(20));
        Assert.False(progress.TryAcknowledge(10));
        Assert.Equal(20, progress.Acknowledged);
    }
}
