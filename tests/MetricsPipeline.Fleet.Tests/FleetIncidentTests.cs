namespace MetricsPipeline.Fleet.Tests;

public sealed class FleetIncidentTests
{
    private static readonly DateTimeOffset IncidentStart = Fleet.Wednesday.AddHours(10);

    private static FleetSimulator With(params Incident[] incidents) => new(new FleetOptions { Incidents = incidents.ToList() });

    [Fact]
    public void WhenATrafficSpikeIsActiveThenTheServiceLoadIsMultipliedOnlyInsideItsWindow()
    {
        var spiked = With(new TrafficSpike("checkout", IncidentStart, TimeSpan.FromHours(1), 3));
        var normal = With();
        var inside = IncidentStart.AddMinutes(30);
        var ratio = Fleet.MeanTotal(spiked, inside, 6, "checkout", FleetSchema.RequestRate)
            / Fleet.MeanTotal(normal, inside, 6, "checkout", FleetSchema.RequestRate);
        Assert.InRange(ratio, 2.99, 3.01);

        // Outside the window (just before, and from the end on) every byte is as without the incident.
        foreach (var outside in new[] { IncidentStart.AddSeconds(-10), IncidentStart.AddHours(1), IncidentStart.AddHours(2) })
        {
            Assert.Equal(Fleet.WriteToString(normal, Fleet.Ns(outside)), Fleet.WriteToString(spiked, Fleet.Ns(outside)));
        }

        // Other services are untouched even inside it.
        Assert.Equal(
            Fleet.MeanTotal(normal, inside, 3, "api", FleetSchema.RequestRate),
            Fleet.MeanTotal(spiked, inside, 3, "api", FleetSchema.RequestRate));
    }

    [Fact]
    public void WhenATrafficSpikeOverloadsTheServiceThenErrorsQueuesAndCpuRise()
    {
        var spiked = With(new TrafficSpike("checkout", IncidentStart, TimeSpan.FromHours(1), 4));
        var points = spiked.GenerateInterval(Fleet.Ns(IncidentStart.AddMinutes(5)));
        var checkout = Fleet.ServicePoints(points, "checkout").ToList();
        Assert.All(checkout, p => Assert.True(Fleet.Field(p, FleetSchema.ErrorRate) > 10));
        Assert.All(checkout, p => Assert.True(Fleet.Field(p, FleetSchema.QueueDepth) > 100));
        Assert.All(checkout, p => Assert.True(Fleet.Field(p, FleetSchema.CpuPercent) > 95));
        Assert.All(checkout, p => Assert.Equal(Fleet.Field(p, FleetSchema.DbPoolSize), Fleet.Field(p, FleetSchema.DbConnections)));
    }

    [Fact]
    public void WhenLatencyDegradesThenTheP95RisesOnlyInsideTheWindow()
    {
        var slow = With(new LatencyDegradation("search", IncidentStart, TimeSpan.FromMinutes(30), 4));
        var normal = With();
        double P95(FleetSimulator sim, DateTimeOffset from) => Fleet.Percentile(
            Enumerable.Range(0, 10).SelectMany(k => Fleet.Latencies(sim.GenerateInterval(Fleet.Ns(from) + k * sim.IntervalNanoseconds), "search")), 0.95);

        Assert.InRange(P95(slow, IncidentStart.AddMinutes(10)) / P95(normal, IncidentStart.AddMinutes(10)), 3.9, 4.1);
        Assert.Equal(P95(normal, IncidentStart.AddMinutes(30)), P95(slow, IncidentStart.AddMinutes(30)));
        Assert.Equal(P95(normal, IncidentStart.AddMinutes(-5)), P95(slow, IncidentStart.AddMinutes(-5)));
    }

    [Fact]
    public void WhenMemoryLeaksThenMemoryRisesOverTimeAndFallsBackAfterTheWindow()
    {
        var leaky = With(new MemoryLeak("api", IncidentStart, TimeSpan.FromHours(3), 5));
        var normal = With();
        double Leaked(DateTimeOffset at) =>
            (Fleet.MeanTotal(leaky, at, 1, "api", FleetSchema.MemoryPercent) - Fleet.MeanTotal(normal, at, 1, "api", FleetSchema.MemoryPercent)) / 3;

        Assert.InRange(Leaked(IncidentStart.AddHours(1)), 4.5, 5.5);
        Assert.InRange(Leaked(IncidentStart.AddHours(2)), 9.5, 10.5);
        Assert.Equal(0, Leaked(IncidentStart.AddHours(3)));
        Assert.Equal(0, Leaked(IncidentStart.AddMinutes(-1)));
    }

    [Fact]
    public void WhenALeakReachesTheRestartThresholdThenTheInstanceRestartsAndMemoryDrops()
    {
        var leaky = With(new MemoryLeak("auth", IncidentStart, TimeSpan.FromDays(1), 20));
        var memory = Enumerable.Range(0, 24 * 6)
            .Select(k => Fleet.ServicePoints(leaky.GenerateInterval(Fleet.Ns(IncidentStart.AddMinutes(10 * k))), "auth")
                .Where(p => p.GetTag(FleetSchema.InstanceTag) == "auth-0").Select(p => Fleet.Field(p, FleetSchema.MemoryPercent)).Single())
            .ToArray();
        Assert.All(memory, m => Assert.True(m <= 100));
        Assert.Contains(memory.Zip(memory.Skip(1)), pair => pair.Second < pair.First - 20);
        Assert.True(memory.Max() > 80);
    }
}
