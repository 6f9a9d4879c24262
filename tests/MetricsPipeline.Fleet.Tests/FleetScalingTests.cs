namespace MetricsPipeline.Fleet.Tests;

public sealed class FleetScalingTests
{
    private static readonly DateTimeOffset Peak = Fleet.Wednesday.AddHours(14);

    [Fact]
    public void WhenInstancesDoubleThenPerInstanceRateAndCpuRoughlyHalveAndLatencyFalls()
    {
        var sim = new FleetSimulator(new FleetOptions());
        var three = Measure(sim, 3);
        var six = Measure(sim, 6);
        Assert.InRange(six.Rate / three.Rate, 0.47, 0.53);
        Assert.InRange(six.Cpu / three.Cpu, 0.45, 0.6);
        Assert.True(six.P50 < 0.8 * three.P50, $"p50 {six.P50} ms with 6 instances vs {three.P50} ms with 3");
        Assert.InRange(six.Total / three.Total, 0.98, 1.02); // the service's load is the same, only split differently
    }

    [Fact]
    public void WhenTheInstanceCountChangesThenTheNextIntervalReportsTheNewInstances()
    {
        var sim = new FleetSimulator(new FleetOptions());
        Assert.Equal(3, sim.GetInstanceCount("search"));
        sim.SetInstanceCount("search", 5);
        Assert.Equal(5, sim.GetInstanceCount("search"));
        var search = Fleet.ServicePoints(sim.GenerateInterval(Fleet.Ns(Peak)), "search").ToList();
        Assert.Equal(["search-0", "search-1", "search-2", "search-3", "search-4"], search.Select(p => p.GetTag(FleetSchema.InstanceTag)));
        Assert.All(search, p => Assert.Equal(5, Fleet.Field(p, FleetSchema.Instances)));
        Assert.Equal(3, Fleet.ServicePoints(sim.GenerateInterval(Fleet.Ns(Peak)), "api").Count());
    }

    [Fact]
    public void WhenTheInstanceCountIsInvalidThenSetInstanceCountThrowsAndNothingChanges()
    {
        var sim = new FleetSimulator(new FleetOptions { MaxInstancesPerService = 10 });
        Assert.Throws<ArgumentException>(() => sim.SetInstanceCount("nope", 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => sim.SetInstanceCount("api", 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => sim.SetInstanceCount("api", 11));
        Assert.Equal(3, sim.GetInstanceCount("api"));
    }

    [Fact]
    public async Task WhenCountsChangeConcurrentlyWithGenerationThenEveryIntervalIsConsistent()
    {
        var sim = new FleetSimulator(new FleetOptions { LatencySamplesPerInterval = 1 });
        var ct = TestContext.Current.CancellationToken;
        var setter = Task.Run(() =>
        {
            for (var i = 0; i < 2000; i++)
            {
                sim.SetInstanceCount("api", 1 + (i % 7));
            }
        }, ct);
        while (!setter.IsCompleted)
        {
            var api = Fleet.ServicePoints(sim.GenerateInterval(Fleet.Ns(Peak)), "api").ToList();
            Assert.All(api, p => Assert.Equal(api.Count, Fleet.Field(p, FleetSchema.Instances)));
        }

        await setter;
    }

    private static (double Rate, double Cpu, double P50, double Total) Measure(FleetSimulator sim, int instances)
    {
        sim.SetInstanceCount("api", instances);
        var points = Enumerable.Range(0, 12).SelectMany(k => sim.GenerateInterval(Fleet.Ns(Peak) + k * sim.IntervalNanoseconds)).ToList();
        var api = Fleet.ServicePoints(points, "api").ToList();
        return (api.Average(p => Fleet.Field(p, FleetSchema.RequestRate)),
            api.Average(p => Fleet.Field(p, FleetSchema.CpuPercent)),
            Fleet.Percentile(Fleet.Latencies(points, "api"), 0.5),
            api.Sum(p => Fleet.Field(p, FleetSchema.RequestRate)) / 12);
    }
}
