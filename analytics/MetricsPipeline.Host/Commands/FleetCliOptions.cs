using System.CommandLine;
using MetricsPipeline.Fleet;

namespace MetricsPipeline.Host.Commands;

/// <summary>The simulated-fleet options shared by <c>demo</c> and <c>fleet</c>.</summary>
internal sealed class FleetCliOptions
{
    public Option<int> Services { get; } = new("--services") { Description = "Number of simulated services (the first four have hand-made profiles; more are derived from them).", DefaultValueFactory = _ => 4 };

    public Option<int> Instances { get; } = new("--instances") { Description = "Instances per service at the start.", DefaultValueFactory = _ => 3 };

    public Option<string> Interval { get; } = new("--interval") { Description = "Reporting interval of every instance (e.g. 10s).", DefaultValueFactory = _ => "10s" };

    public Option<int> LatencySamples { get; } = new("--latency-samples") { Description = "Request-latency samples per instance per interval.", DefaultValueFactory = _ => 20 };

    public Option<long> Seed { get; } = new("--seed") { Description = "Random seed; the same seed gives the same metrics.", DefaultValueFactory = _ => 42 };

    public Option<string> History { get; } = new("--history") { Description = "Backfill this much history first, as fast as possible (e.g. 3d, 6h, 0s).", DefaultValueFactory = _ => "0s" };

    public Option<double> Speed { get; } = new("--speed") { Description = "Live-mode speed factor: 1 = real time, 60 = one minute of metrics per second.", DefaultValueFactory = _ => 1.0 };

    public Option<string?> Duration { get; } = new("--duration") { Description = "Stop after this much live event time (e.g. 5m); default: until Ctrl+C." };

    public Option<string[]> Incidents { get; } = new("--incident")
    {
        Description = "Inject an incident (repeatable): spike:SERVICE:START:DURATION:MULTIPLIER, e.g. spike:api:-10m:5m:3. START is an offset from now "
            + "(negative = inside the --history backfill) or an ISO-8601 time.",
        AllowMultipleArgumentsPerToken = false,
    };

    public Option<string> PartitionByTag { get; } = new("--partition-by-tag")
    {
        Description = "Route every series carrying this tag to the partition of its value, so one consumer sees a whole service "
            + "(service-level snapshots, forecasts and scaling commands need that when several `run` instances share the topic). "
            + "Empty (the default) = partition by the full series key, which spreads the load over every partition.",
        DefaultValueFactory = _ => string.Empty,
    };

    public void AddTo(Command command)
    {
        command.Options.Add(PartitionByTag);
        command.Options.Add(Incidents);
        command.Options.Add(Services);
        command.Options.Add(Instances);
        command.Options.Add(Interval);
        command.Options.Add(LatencySamples);
        command.Options.Add(Seed);
        command.Options.Add(History);
        command.Options.Add(Speed);
        command.Options.Add(Duration);
    }

    /// <summary>
    /// The first <paramref name="count"/> service profiles: the fleet's hand-made ones, then copies of them named
    /// <c>api-1</c>, <c>checkout-1</c>, … for larger fleets.
    /// </summary>
    public static List<ServiceProfile> ServiceProfiles(int count)
    {
        var defaults = FleetOptions.DefaultServices();
        return Enumerable.Range(0, count)
            .Select(i => i < defaults.Count ? defaults[i] : defaults[i % defaults.Count] with { Name = $"{defaults[i % defaults.Count].Name}-{i / defaults.Count}" })
            .ToList();
    }

    /// <summary>The producer's routing tag from <c>--partition-by-tag</c>: null (series key) when empty.</summary>
    public string? RoutingTag(ParseResult parse) => parse.GetValue(PartitionByTag) is { Length: > 0 } tag ? tag : null;

    /// <summary>Builds and validates the fleet settings; throws <see cref="ArgumentException"/> naming the bad option.</summary>
    public (FleetOptions Fleet, FleetRunOptions Run) Build(ParseResult parse, TimeProvider? time = null)
    {
        var services = parse.GetValue(Services);
        if (services < 1)
        {
            throw new ArgumentException("--services must be at least 1.");
        }

        var fleet = new FleetOptions
        {
            Services = ServiceProfiles(services),
            InstancesPerService = parse.GetValue(Instances),
            Interval = ParseDuration(parse.GetValue(Interval), "--interval"),
            LatencySamplesPerInterval = parse.GetValue(LatencySamples),
            Seed = parse.GetValue(Seed),
        };

        // Checked here against the options' own names; FleetOptions.Validate says the same in property terms
        // ("FleetOptions.InstancesPerService must be at least 1"), which named no option the user typed.
        if (fleet.InstancesPerService < 1 || fleet.InstancesPerService > fleet.MaxInstancesPerService)
        {
            throw new ArgumentException($"--instances must be between 1 and {fleet.MaxInstancesPerService} (got {fleet.InstancesPerService}).");
        }

        CheckInterval(fleet.Interval, parse.GetValue(Interval)!);
        if (fleet.LatencySamplesPerInterval < 0 || fleet.LatencySamplesPerInterval > FleetTime.ToNanoseconds(fleet.Interval))
        {
            throw new ArgumentException($"--latency-samples must be between 0 and the interval in nanoseconds, so every sample gets its own timestamp (got {fleet.LatencySamplesPerInterval}).");
        }

        if (!(parse.GetValue(Speed) > 0))
        {
            throw new ArgumentException(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"--speed must be positive (got {parse.GetValue(Speed)})."));
        }
        var now = (time ?? TimeProvider.System).GetUtcNow();
        foreach (var text in parse.GetValue(Incidents) ?? [])
        {
            fleet.Incidents.Add(ParseIncident(text, now));
        }

        try
        {
            fleet.Validate();
        }
        catch (ArgumentException ex)
        {
            throw new ArgumentException($"Invalid fleet option: {ex.Message}", ex);
        }

        var durationText = parse.GetValue(Duration);
        var run = new FleetRunOptions
        {
            History = ParseDuration(parse.GetValue(History), "--history"),
            Speed = parse.GetValue(Speed),
            Duration = durationText is null ? null : ParseDuration(durationText, "--duration"),
        };
        try
        {
            run.Validate();
        }
        catch (ArgumentException ex)
        {
            throw new ArgumentException($"Invalid run option: {ex.Message}", ex);
        }

        return (fleet, run);
    }

    /// <summary>The range <see cref="FleetOptions.Validate"/> allows for the interval, said under <c>--interval</c>.</summary>
    /// <exception cref="ArgumentException">Not positive or over 7 days.</exception>
    internal static void CheckInterval(TimeSpan interval, string text)
    {
        if (interval <= TimeSpan.Zero || interval > TimeSpan.FromDays(7))
        {
            throw new ArgumentException($"--interval must be positive and at most 7 days (got {text}).");
        }
    }

    /// <summary>Parses <c>spike:SERVICE:START:DURATION:MULTIPLIER</c>; START may contain colons (an ISO-8601 time).</summary>
    internal static Incident ParseIncident(string text, DateTimeOffset now)
    {
        var parts = text.Split(':');
        if (parts.Length < 5 || parts[0] != "spike" || parts[1].Length == 0)
        {
            throw new ArgumentException($"--incident '{text}' is not spike:SERVICE:START:DURATION:MULTIPLIER (e.g. spike:api:-10m:5m:3).");
        }

        var startText = string.Join(':', parts[2..^2]);
        DateTimeOffset start;
        if (startText.StartsWith('-') && DurationParser.TryParse(startText[1..], out var back))
        {
            start = now - back;
        }
        else if (DurationParser.TryParse(startText, out var ahead))
        {
            start = now + ahead;
        }
        else if (!DateTimeOffset.TryParse(startText, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out start))
        {
            throw new ArgumentException($"--incident '{text}': START '{startText}' is neither an offset (-10m, 5m) nor an ISO-8601 time.");
        }

        var duration = ParseDuration(parts[^2], "--incident DURATION");
        if (!double.TryParse(parts[^1], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var multiplier) || !(multiplier > 0))
        {
            throw new ArgumentException($"--incident '{text}': MULTIPLIER '{parts[^1]}' must be a positive number.");
        }

        return new TrafficSpike(parts[1], start, duration, multiplier);
    }

    private static TimeSpan ParseDuration(string? text, string option)
    {
        if (!DurationParser.TryParse(text, out var value))
        {
            throw new ArgumentException($"{option} '{text}' is not a duration (examples: 250ms, 10s, 5m, 1h30m, 3d).");
        }

        return value;
    }
}
