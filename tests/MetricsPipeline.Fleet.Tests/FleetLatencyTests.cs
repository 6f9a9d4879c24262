namespace MetricsPipeline.Fleet.Tests;

public sealed class FleetLatencyTests
{
    [Fact]
    public void WhenLatencySamplesAreCollectedThenTheTailIsFarHeavierThanANormals()
    {
        var sim = new FleetSimulator(new FleetOptions());
        var start = Fleet.Ns(Fleet.Wednesday.AddHours(4));
        var samples = Enumerable.Range(0, 200)
            .SelectMany(k => Fleet.Latencies(sim.GenerateInterval(start + k * sim.IntervalNanoseconds), "api")).ToArray();
        Assert.Equal(200 * 3 * 20, samples.Length);
        Assert.All(samples, s => Assert.True(s > 0));

        var p50 = Fleet.Percentile(samples, 0.5);
        var p99 = Fleet.Percentile(samples, 0.99);
        // A normal with the body's spread (σ ≈ 0.4 of the median) has p99/p50 ≈ 1.9; the Pareto tail pushes it past 4.
        Assert.True(p99 / p50 > 4, $"p99/p50 = {p99 / p50:F2}");

        var mean = samples.Average();
        var variance = samples.Average(s => (s - mean) * (s - mean));
        var kurtosis = samples.Average(s => Math.Pow(s - mean, 4)) / (variance * variance);
        Assert.True(kurtosis > 20, $"kurtosis = {kurtosis:F1} (a normal's is 3)");
    }

    [Fact]
    public void WhenTheIntervalHasOnlyAsManyNanosecondsAsSamplesThenEachSampleTakesItsOwnNanosecond()
    {
        var sim = new FleetSimulator(new FleetOptions { Interval = TimeSpan.FromTicks(1), LatencySamplesPerInterval = 100, InstancesPerService = 1 });
        var start = Fleet.Ns(Fleet.Wednesday);
        var stamps = sim.GenerateInterval(start)
            .Where(p => p.Measurement == FleetSchema.HttpRequestMeasurement && p.GetTag(FleetSchema.ServiceTag) == "api")
            .Select(p => p.TimestampNs!.Value);
        Assert.Equal(Enumerable.Range(0, 100).Select(i => start + i), stamps);
    }

    [Fact]
    public void WhenAnIntervalIsWrittenThenEverySampleOfASeriesHasItsOwnTimestampInsideTheInterval()
    {
        var sim = new FleetSimulator(new FleetOptions { LatencySamplesPerInterval = 500, Interval = TimeSpan.FromSeconds(1) });
        var start = Fleet.Ns(Fleet.Wednesday);
        var points = Enumerable.Range(0, 3).SelectMany(k => sim.GenerateInterval(start + k * sim.IntervalNanoseconds)).ToList();
        foreach (var series in points.GroupBy(p => (p.Measurement, p.GetTag(FleetSchema.InstanceTag))))
        {
            var stamps = series.Select(p => p.TimestampNs!.Value).ToList();
            Assert.Equal(stamps.Count, stamps.Distinct().Count());
        }

        Assert.All(points.Where(p => p.Measurement == FleetSchema.HttpRequestMeasurement),
            p => Assert.InRange(p.TimestampNs!.Value, start, start + 3 * sim.IntervalNanoseconds - 1));
    }
}
