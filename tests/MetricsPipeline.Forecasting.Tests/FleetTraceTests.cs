using MetricsPipeline.Fleet;
using Xunit;

namespace MetricsPipeline.Forecasting.Tests;

public sealed class FleetTraceTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 2, 0, 0, 0, TimeSpan.Zero);

    private static FleetOptions Fleet(long seed = 42) => new() { Seed = seed, Interval = TimeSpan.FromMinutes(1), LatencySamplesPerInterval = 5 };

    [Fact]
    public void WhenTheSameSeedIsTracedTwiceThenTheRowsAreIdenticalAndSpacedByTheStep()
    {
        var a = FleetTrace.Generate(Fleet(), "api", FleetTraceMetric.Requests, Start, TimeSpan.FromHours(6), TimeSpan.FromMinutes(5));
        var b = FleetTrace.Generate(Fleet(), "api", FleetTraceMetric.Requests, Start, TimeSpan.FromHours(6), TimeSpan.FromMinutes(5));
        var c = FleetTrace.Generate(Fleet(7), "api", FleetTraceMetric.Requests, Start, TimeSpan.FromHours(6), TimeSpan.FromMinutes(5));
        Assert.Equal(72, a.Count);
        Assert.Equal(a, b);
        Assert.NotEqual(a.Select(p => p.Value), c.Select(p => p.Value));
        Assert.Equal(Start.AddMinutes(5 * 71), a[^1].Timestamp);
        Assert.All(a, p => Assert.True(p.Value > 0));
    }

    [Fact]
    public void WhenAStepIsSeveralIntervalsThenItsValueIsTheMeanOfTheOneIntervalRows()
    {
        var fine = FleetTrace.Generate(Fleet(), "checkout", FleetTraceMetric.Cpu, Start, TimeSpan.FromHours(1), TimeSpan.FromMinutes(1));
        var coarse = FleetTrace.Generate(Fleet(), "checkout", FleetTraceMetric.Cpu, Start, TimeSpan.FromHours(1), TimeSpan.FromMinutes(5));
        Assert.Equal(12, coarse.Count);
        for (int k = 0; k < 12; k++)
        {
            Assert.Equal(fine.Skip(5 * k).Take(5).Average(p => p.Value), coarse[k].Value, 9);
            Assert.InRange(coarse[k].Value, 0, 100);
        }
    }

    [Fact]
    public void WhenTheMetricIsP95ThenItLiesAboveTheServiceMedianLatency()
    {
        var rows = FleetTrace.Generate(Fleet(), "search", FleetTraceMetric.P95, Start, TimeSpan.FromHours(2), TimeSpan.FromMinutes(10));
        Assert.Equal(12, rows.Count);
        Assert.All(rows, p => Assert.True(p.Value > 80, $"p95 {p.Value} ms"));
    }

    [Fact]
    public void WhenTheServiceIsUnknownOrTheStepIsNotAMultipleOfTheIntervalThenGenerateThrows()
    {
        Assert.Throws<ArgumentException>(() => FleetTrace.Generate(Fleet(), "nope", FleetTraceMetric.Cpu, Start, TimeSpan.FromHours(1), TimeSpan.FromMinutes(1)));
        Assert.Throws<ArgumentException>(() => FleetTrace.Generate(Fleet(), "api", FleetTraceMetric.Cpu, Start, TimeSpan.FromHours(1), TimeSpan.FromSeconds(90)));
    }
}
