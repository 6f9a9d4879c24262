using MetricsPipeline.Decisions.Simulation;
using Xunit;

namespace MetricsPipeline.Decisions.Tests;

public sealed class SimulationOptionRangeTests
{
    [Fact]
    public void WhenTheStartupDelayOrTheLeadBufferIsOverADayThenTheOptionsAreRejected()
    {
        // Before: a delay of millions of days overflowed the start-up steps to a negative ready step (instances served at once).
        Assert.Contains("StartupDelay", Assert.Throws<ArgumentException>(() => new ClosedLoopSimulator(new SimulationOptions { StartupDelay = TimeSpan.FromDays(10_000_000) })).Message, StringComparison.Ordinal);
        Assert.Contains("LeadBuffer", Assert.Throws<ArgumentException>(() => new ClosedLoopSimulator(new SimulationOptions { LeadBuffer = TimeSpan.FromDays(2) })).Message, StringComparison.Ordinal);
        Assert.NotNull(new ClosedLoopSimulator(new SimulationOptions { StartupDelay = TimeSpan.FromDays(1) }));
    }

    [Fact]
    public void WhenTheSloIsInfiniteThenTheOptionsAreRejected()
    {
        Assert.Throws<ArgumentException>(() => new ClosedLoopSimulator(new SimulationOptions { SloP95Ms = double.PositiveInfinity }));
    }
}
