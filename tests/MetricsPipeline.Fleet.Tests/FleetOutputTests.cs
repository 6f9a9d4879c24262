using CsCheck;
using MetricsPipeline.Ingest.LineProtocol;

namespace MetricsPipeline.Fleet.Tests;

public sealed class FleetOutputTests
{
    private static readonly long Start = Fleet.Ns(Fleet.Wednesday.AddHours(15));

    public static TheoryData<string> Fleets => ["default", "escaped"];

    private static FleetOptions Options(string name) => name == "default"
        ? new FleetOptions()
        : new FleetOptions
        {
            Services = [new ServiceProfile("web api,v=2", 100, 80, 30), new ServiceProfile("bat\\ch", 10, 20, 5)],
            Region = "us east",
            InstancesPerService = 2,
            LatencySamplesPerInterval = 5,
        };

    [Theory]
    [MemberData(nameof(Fleets))]
    public void WhenBothOutputPathsRunThenTheFastPathBytesEqualTheSerialisedPoints(string fleet)
    {
        var sim = new FleetSimulator(Options(fleet));
        for (var k = 0; k < 3; k++)
        {
            var t = Start + k * sim.IntervalNanoseconds;
            var expected = string.Concat(sim.GenerateInterval(t).Select(p => LineProtocolWriter.ToLine(p)));
            Assert.Equal(expected, Fleet.WriteToString(sim, t));
        }
    }

    [Fact]
    public void WhenAnySeedAndTimeAreGeneratedThenBothOutputPathsAgree()
    {
        var time = Gen.Long[Fleet.Ns(new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero)), Fleet.Ns(new DateTimeOffset(2100, 1, 1, 0, 0, 0, TimeSpan.Zero))];
        Gen.Select(Gen.Long, time, Gen.Int[1, 4]).Sample((seed, t, instances) =>
        {
            var sim = new FleetSimulator(new FleetOptions
            {
                Seed = seed,
                InstancesPerService = instances,
                LatencySamplesPerInterval = 4,
                GrowthOrigin = Fleet.Wednesday,
                Incidents = [new TrafficSpike("api", FleetTime.FromUnixNanoseconds(t), TimeSpan.FromMinutes(1), 50)],
            });
            var expected = string.Concat(sim.GenerateInterval(t).Select(p => LineProtocolWriter.ToLine(p)));
            return expected == Fleet.WriteToString(sim, t);
        }, iter: 200);
    }

    [Theory]
    [MemberData(nameof(Fleets))]
    public void WhenALineIsWrittenThenTheSeriesKeyIsItsPrefixUpToTheFieldsAndTheCountIsReturned(string fleet)
    {
        var sim = new FleetSimulator(Options(fleet));
        var calls = 0;
        var returned = sim.WriteInterval(Start, (key, line) =>
        {
            calls++;
            Assert.True(line.StartsWith(key));
            Assert.Equal((byte)' ', line[key.Length]);
            Assert.Equal((byte)'\n', line[^1]);
            Assert.Equal(1, line.Count((byte)'\n'));
        });
        Assert.Equal(calls, returned);
        var o = sim.Options;
        Assert.Equal(o.Services.Count * o.InstancesPerService * (1 + o.LatencySamplesPerInterval), returned);
    }

    [Fact]
    public void WhenTheDefaultFleetWritesThenTheServiceLineCarriesTheDocumentedSchema()
    {
        var sim = new FleetSimulator(new FleetOptions());
        var first = Fleet.WriteToString(sim, Start).Split('\n')[0];
        Assert.StartsWith("service,instance=api-0,region=eu-west-1,service=api cpu_percent=", first, StringComparison.Ordinal);
        foreach (var field in new[] { "memory_percent=", "request_rate=", "error_rate=", "queue_depth=", "db_connections=", "db_pool_size=40i", "active_users=", "instances=3i" })
        {
            Assert.Contains(field, first, StringComparison.Ordinal);
        }

        Assert.EndsWith(" " + Start, first, StringComparison.Ordinal);
    }

    [Fact]
    public void WhenALargeFleetIsWrittenInSteadyStateThenNothingIsAllocatedPerLine()
    {
        var sim = new FleetSimulator(LargeFleet());
        long bytes = 0;
        LineCallback sink = (key, line) => bytes += line.Length;
        sim.WriteInterval(Start, sink); // builds the series keys
        sim.WriteInterval(Start + sim.IntervalNanoseconds, sink);
        // Three measured intervals; the quietest one counts. A per-line allocation would show in every interval (21,000
        // lines), while the runtime may now and then allocate a few kilobytes on the test's thread for its own reasons
        // on a loaded machine (the same noise the analytics hot-path tests met in CI).
        var rounds = new long[3];
        for (var round = 0; round < rounds.Length; round++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            var lines = sim.WriteInterval(Start + ((2 + round) * sim.IntervalNanoseconds), sink);
            rounds[round] = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.Equal(50 * 20 * 21, lines);
        }

        Assert.True(rounds.Min() < 1024, $"bytes allocated per interval of {50 * 20 * 21} lines: {string.Join(", ", rounds)}");
    }

    [Fact]
    public void WhenALargeFleetIsWrittenThenTheThroughputIsPrinted()
    {
        // Reports only (no timing assertion: the machine is shared). Run in Release for a meaningful number.
        var sim = new FleetSimulator(LargeFleet());
        long bytes = 0;
        LineCallback sink = (key, line) => bytes += line.Length;
        sim.WriteInterval(Start, sink);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        long lines = 0;
        var k = 1;
        while (watch.Elapsed < TimeSpan.FromSeconds(2))
        {
            lines += sim.WriteInterval(Start + k++ * sim.IntervalNanoseconds, sink);
        }

        var seconds = watch.Elapsed.TotalSeconds;
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"fleet 50x20: {lines} lines in {seconds:F2} s = {lines / seconds / 1e6:F2} M lines/s, {bytes / seconds / 1e6:F0} MB/s");
        Assert.True(lines > 0);
    }

    private static FleetOptions LargeFleet() => new()
    {
        Services = Enumerable.Range(0, 50).Select(i => new ServiceProfile("svc" + i, 1000, 80, 20)).ToList(),
        InstancesPerService = 20,
    };
}
