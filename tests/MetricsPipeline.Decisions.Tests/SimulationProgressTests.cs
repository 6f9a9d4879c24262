using MetricsPipeline.Decisions.Simulation;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace MetricsPipeline.Decisions.Tests;

public sealed class SimulationProgressTests
{
    [Fact]
    public void WhenStepsComeFasterThanTheIntervalThenOneLinePerIntervalIsWritten()
    {
        var time = new FakeTimeProvider();
        var writer = new StringWriter();
        var progress = new SimulationProgress(writer, "simulate: predictive on year", 1000, time, TimeSpan.FromSeconds(5));
        for (int step = 0; step < 1000; step++)
        {
            // 20 ms a step: 20 s in all, so a line at 5, 10, 15 and 20 s.
            time.Advance(TimeSpan.FromMilliseconds(20));
            progress.Report(step);
        }

        Assert.Equal(
            ["simulate: predictive on year: 250/1000 steps (25 %)", "simulate: predictive on year: 500/1000 steps (50 %)",
             "simulate: predictive on year: 750/1000 steps (75 %)", "simulate: predictive on year: 1000/1000 steps (100 %)"],
            writer.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void WhenARunIsShorterThanTheIntervalThenNothingIsWritten()
    {
        var time = new FakeTimeProvider();
        var writer = new StringWriter();
        var progress = new SimulationProgress(writer, "x", 13107, time, TimeSpan.FromSeconds(5));
        for (int step = 0; step < 13107; step++)
        {
            time.Advance(TimeSpan.FromTicks(100));
            progress.Report(step);
        }

        Assert.Equal(string.Empty, writer.ToString());
    }
}
