namespace MetricsPipeline.Fleet.Tests;

public sealed class FleetOptionsTests
{
    public static TheoryData<string, string> Invalid => new()
    {
        { "instances", "InstancesPerService" },
        { "interval", "Interval" },
        { "samples", "LatencySamplesPerInterval" },
        { "duplicate", "appears more than once" },
        { "capacity", "Services['api'].CapacityPerInstance" },
        { "incident-service", "Incidents[0].Service" },
        { "incident-factor", "Incidents[0].Factor" },
        { "amplitude", "DailyAmplitude" },
        { "region", "Region" },
        { "incident-start", "Incidents[0].Start" },
        { "incident-duration", "Incidents[0].Duration" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void WhenASettingIsInvalidThenTheSimulatorRefusesWithAMessageNamingIt(string @case, string expected)
    {
        var options = new FleetOptions();
        var start = Fleet.Wednesday;
        switch (@case)
        {
            case "instances": options.InstancesPerService = 0; break;
            case "interval": options.Interval = TimeSpan.Zero; break;
            case "samples": options.LatencySamplesPerInterval = -1; break;
            case "duplicate": options.Services.Add(new ServiceProfile("api", 1, 1, 1)); break;
            case "capacity": options.Services[0] = options.Services[0] with { CapacityPerInstance = 0 }; break;
            case "incident-service": options.Incidents.Add(new TrafficSpike("web", start, TimeSpan.FromHours(1), 2)); break;
            case "incident-factor": options.Incidents.Add(new LatencyDegradation("api", start, TimeSpan.FromHours(1), double.NaN)); break;
            case "amplitude": options.DailyAmplitude = 1.5; break;
            case "region": options.Region = ""; break;
            case "incident-start": options.Incidents.Add(new MemoryLeak("api", DateTimeOffset.MaxValue, TimeSpan.FromHours(1), 1)); break;
            case "incident-duration": options.Incidents.Add(new MemoryLeak("api", start, TimeSpan.MaxValue, 1)); break;
        }

        var error = Assert.Throws<ArgumentException>(() => new FleetSimulator(options));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WhenTheDefaultsAreUsedThenTheyDescribeFourServicesOfThreeInstancesEveryTenSeconds()
    {
        var options = new FleetOptions();
        options.Validate();
        Assert.Equal(["api", "checkout", "search", "auth"], options.Services.Select(s => s.Name));
        Assert.Equal(3, options.InstancesPerService);
        Assert.Equal(TimeSpan.FromSeconds(10), options.Interval);
        Assert.Equal(20, options.LatencySamplesPerInterval);
        Assert.Equal(42, options.Seed);
    }
}
