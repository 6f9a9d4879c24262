namespace MetricsPipeline.Fleet.Tests;

public sealed class FleetDeterminismTests
{
    private static readonly long Start = Fleet.Ns(Fleet.Wednesday.AddHours(9));

    [Fact]
    public void WhenTwoSimulatorsShareASeedThenTheirBytesAreIdentical()
    {
        var a = new FleetSimulator(new FleetOptions());
        var b = new FleetSimulator(new FleetOptions());
        for (var k = 0; k < 5; k++)
        {
            var t = Start + k * a.IntervalNanoseconds;
            Assert.Equal(Fleet.WriteToString(a, t), Fleet.WriteToString(b, t));
        }
    }

    [Fact]
    public void WhenTheSeedDiffersThenTheBytesDiffer()
    {
        var a = new FleetSimulator(new FleetOptions { Seed = 1 });
        var b = new FleetSimulator(new FleetOptions { Seed = 2 });
        Assert.NotEqual(Fleet.WriteToString(a, Start), Fleet.WriteToString(b, Start));
    }

    [Fact]
    public void WhenIntervalKIsGeneratedAloneThenItEqualsTheSameIntervalGeneratedAfterItsPredecessors()
    {
        var sequential = new FleetSimulator(new FleetOptions());
        string? last = null;
        for (var k = 0; k <= 20; k++)
        {
            last = Fleet.WriteToString(sequential, Start + k * sequential.IntervalNanoseconds);
        }

        var alone = new FleetSimulator(new FleetOptions());
        Assert.Equal(last, Fleet.WriteToString(alone, Start + 20 * alone.IntervalNanoseconds));
    }

    [Fact]
    public void WhenAnIntervalIsGeneratedTwiceThenBothCopiesAreIdentical()
    {
        var sim = new FleetSimulator(new FleetOptions());
        var first = Fleet.WriteToString(sim, Start);
        Fleet.WriteToString(sim, Start + sim.IntervalNanoseconds);
        Assert.Equal(first, Fleet.WriteToString(sim, Start));
    }

    [Fact]
    public void WhenConsecutiveIntervalsAreGeneratedThenTheyDiffer()
    {
        var sim = new FleetSimulator(new FleetOptions());
        Assert.NotEqual(Fleet.WriteToString(sim, Start), Fleet.WriteToString(sim, Start + sim.IntervalNanoseconds));
    }
}
