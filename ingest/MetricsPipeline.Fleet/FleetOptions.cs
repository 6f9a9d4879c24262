namespace MetricsPipeline.Fleet;

/// <summary>
/// Settings of the simulated fleet. Defaults give four services of three instances each, reporting every 10 s,
/// sized so that the daily peak runs at roughly 75 % utilisation at the growth origin (growth then slowly pushes
/// them towards saturation, which is what a scaling loop is for). Call <see cref="Validate"/> (the simulator does)
/// to check the settings.
/// </summary>
public sealed class FleetOptions
{
    /// <summary>
    /// The simulated services. The default is <see cref="DefaultServices"/>: <c>api</c>, <c>checkout</c>,
    /// <c>search</c> and <c>auth</c>.
    /// </summary>
    public IList<ServiceProfile> Services { get; init; } = DefaultServices();

    /// <summary>The initial number of instances of every service. The default is 3.</summary>
    public int InstancesPerService { get; set; } = 3;

    /// <summary>The largest instance count <see cref="FleetSimulator.SetInstanceCount"/> accepts. The default is 10 000.</summary>
    public int MaxInstancesPerService { get; set; } = 10_000;

    /// <summary>The reporting interval (event time between two reports of an instance). The default is 10 s.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Latency samples (<c>http_request</c> points) per instance per interval; 0 writes none. The default is 20.</summary>
    public int LatencySamplesPerInterval { get; set; } = 20;

    /// <summary>The seed; the same seed and settings give the same points. The default is 42.</summary>
    public long Seed { get; set; } = 42;

    /// <summary>The value of the <c>region</c> tag. The default is <c>eu-west-1</c>.</summary>
    public string Region { get; set; } = "eu-west-1";

    /// <summary>
    /// Load growth per day as a fraction, compounding from <see cref="GrowthOrigin"/> (0.001 = +0.1 % a day, about
    /// +44 % a year). The default is 0.001.
    /// </summary>
    public double GrowthPerDay { get; set; } = 0.001;

    /// <summary>
    /// The moment at which load equals <see cref="ServiceProfile.BaseRequestRate"/> (before seasonality).
    /// Set it near the start of a run to keep utilisation at the designed level. The default is 2026-11-01T00:00Z.
    /// </summary>
    public DateTimeOffset GrowthOrigin { get; set; } = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// The relative standard deviation of the per-interval noise on load and on the per-instance measurements
    /// (0.05 = 5 %). The default is 0.05.
    /// </summary>
    public double NoiseLevel { get; set; } = 0.05;

    /// <summary>
    /// The daily amplitude of load as a fraction: load is multiplied by 1 + A·cos(2π(h − peak)/24), so with the
    /// default the daily peak is 3× the trough ((1 + 0.5)/(1 − 0.5)). Must be in [0, 1). The default is 0.5.
    /// </summary>
    public double DailyAmplitude { get; set; } = 0.5;

    /// <summary>The UTC hour (0–24, fractional allowed) of the daily load peak; the trough is 12 h later.
    /// The default is 14 (so the trough is at 02:00 UTC).</summary>
    public double DailyPeakHourUtc { get; set; } = 14.0;

    /// <summary>
    /// The weekly amplitude of load as a fraction: load is multiplied by 1 + A·cos(2π(d − 3.5)/7) where d is the
    /// day of the week in days since Sunday 00:00 UTC, so load peaks on Wednesday noon and bottoms at the turn of
    /// Saturday to Sunday. Must be in [0, 1). The default is 0.15.
    /// </summary>
    public double WeeklyAmplitude { get; set; } = 0.15;

    /// <summary>The memory use in percent at which a leaking instance restarts. The default is 95.</summary>
    public double MemoryRestartPercent { get; set; } = 95.0;

    /// <summary>Injected incidents (<see cref="TrafficSpike"/>, <see cref="LatencyDegradation"/>,
    /// <see cref="MemoryLeak"/>). The default is none.</summary>
    public IList<Incident> Incidents { get; init; } = new List<Incident>();

    private static readonly TimeSpan MaxSpan = TimeSpan.FromDays(36_500);
    private static readonly DateTimeOffset MaxTime = new(2200, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Returns the four default services: <c>api</c>, <c>checkout</c>, <c>search</c>, <c>auth</c>.</summary>
    public static List<ServiceProfile> DefaultServices() =>
    [
        new ServiceProfile("api", BaseRequestRate: 600, CapacityPerInstance: 450, MedianLatencyMs: 40) { DbPoolSize = 40 },
        new ServiceProfile("checkout", BaseRequestRate: 120, CapacityPerInstance: 90, MedianLatencyMs: 120)
        {
            BaseErrorPercent = 0.5, BaseMemoryPercent = 55, DbHoldMs = 120, DbPoolSize = 30, UsersPerRequestPerSecond = 40,
        },
        new ServiceProfile("search", BaseRequestRate: 300, CapacityPerInstance: 220, MedianLatencyMs: 80)
        {
            LatencySigma = 0.55, TailProbability = 0.03, BaseMemoryPercent = 60, DbHoldMs = 15,
        },
        new ServiceProfile("auth", BaseRequestRate: 400, CapacityPerInstance: 320, MedianLatencyMs: 15)
        {
            LatencySigma = 0.3, BaseErrorPercent = 0.1, BaseMemoryPercent = 35, DbHoldMs = 10, DbPoolSize = 15,
            UsersPerRequestPerSecond = 6,
        },
    ];

    /// <summary>
    /// Checks every setting and throws an <see cref="ArgumentException"/> whose message names the first bad one.
    /// </summary>
    public void Validate()
    {
        if (Services is null || Services.Count == 0)
        {
            Fail("FleetOptions.Services must contain at least one service.");
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var s in Services!)
        {
            if (s is null || string.IsNullOrWhiteSpace(s.Name))
            {
                Fail("FleetOptions.Services contains a service without a name.");
            }

            var p = $"FleetOptions.Services['{s!.Name}']";
            if (!names.Add(s.Name))
            {
                Fail($"{p}: the service name appears more than once.");
            }

            Positive(s.BaseRequestRate, $"{p}.BaseRequestRate");
            Positive(s.CapacityPerInstance, $"{p}.CapacityPerInstance");
            Positive(s.MedianLatencyMs, $"{p}.MedianLatencyMs");
            InRange(s.LatencySigma, 0, 5, $"{p}.LatencySigma");
            InRange(s.TailProbability, 0, 1, $"{p}.TailProbability");
            Positive(s.TailAlpha, $"{p}.TailAlpha");
            Positive(s.TailScale, $"{p}.TailScale");
            InRange(s.BaseErrorPercent, 0, 100, $"{p}.BaseErrorPercent");
            InRange(s.BaseMemoryPercent, 0, 100, $"{p}.BaseMemoryPercent");
            InRange(s.DbHoldMs, 0, 1e6, $"{p}.DbHoldMs");
            InRange(s.UsersPerRequestPerSecond, 0, 1e6, $"{p}.UsersPerRequestPerSecond");
            if (s.DbPoolSize < 0)
            {
                Fail($"{p}.DbPoolSize must not be negative (was {s.DbPoolSize}).");
            }
        }

        if (InstancesPerService < 1)
        {
            Fail($"FleetOptions.InstancesPerService must be at least 1 (was {InstancesPerService}).");
        }

        if (MaxInstancesPerService < InstancesPerService)
        {
            Fail($"FleetOptions.MaxInstancesPerService ({MaxInstancesPerService}) must be at least InstancesPerService ({InstancesPerService}).");
        }

        if (Interval <= TimeSpan.Zero || Interval > TimeSpan.FromDays(7))
        {
            Fail($"FleetOptions.Interval must be positive and at most 7 days (was {Interval}).");
        }

        if (LatencySamplesPerInterval < 0 || LatencySamplesPerInterval > FleetTime.ToNanoseconds(Interval))
        {
            Fail($"FleetOptions.LatencySamplesPerInterval must be between 0 and the interval in nanoseconds, so every sample gets its own timestamp (was {LatencySamplesPerInterval}).");
        }

        if (string.IsNullOrEmpty(Region))
        {
            Fail("FleetOptions.Region must not be empty (InfluxDB drops empty tags).");
        }

        InRange(GrowthPerDay, -0.5, 1, "FleetOptions.GrowthPerDay");
        InRange(NoiseLevel, 0, 1, "FleetOptions.NoiseLevel");
        InRange(DailyAmplitude, 0, 0.999, "FleetOptions.DailyAmplitude");
        InRange(DailyPeakHourUtc, 0, 24, "FleetOptions.DailyPeakHourUtc");
        InRange(WeeklyAmplitude, 0, 0.999, "FleetOptions.WeeklyAmplitude");
        InRange(MemoryRestartPercent, 1, 100, "FleetOptions.MemoryRestartPercent");
        InTimeRange(GrowthOrigin, "FleetOptions.GrowthOrigin");
        ValidateIncidents(names);
    }

    private void ValidateIncidents(HashSet<string> names)
    {
        if (Incidents is null)
        {
            Fail("FleetOptions.Incidents must not be null (use an empty list).");
        }

        for (var i = 0; i < Incidents!.Count; i++)
        {
            var incident = Incidents[i];
            var p = $"FleetOptions.Incidents[{i}]";
            if (incident is null)
            {
                Fail($"{p} is null.");
            }

            if (!names.Contains(incident!.Service ?? string.Empty))
            {
                Fail($"{p}.Service '{incident.Service}' is not one of the configured services.");
            }

            if (incident.Duration <= TimeSpan.Zero || incident.Duration > MaxSpan)
            {
                Fail($"{p}.Duration must be positive and at most 100 years (was {incident.Duration}).");
            }

            InTimeRange(incident.Start, $"{p}.Start");

            switch (incident)
            {
                case TrafficSpike spike: Positive(spike.Multiplier, $"{p}.Multiplier"); break;
                case LatencyDegradation slow: Positive(slow.Factor, $"{p}.Factor"); break;
                case MemoryLeak leak: Positive(leak.PercentPerHour, $"{p}.PercentPerHour"); break;
                default: Fail($"{p} is of an unknown incident type {incident.GetType().Name}."); break;
            }
        }
    }

    /// <summary>Event times are Unix nanoseconds in a long, which covers 1970 to 2262; keep well inside.</summary>
    private static void InTimeRange(DateTimeOffset value, string name)
    {
        if (value < DateTimeOffset.UnixEpoch || value > MaxTime)
        {
            Fail($"{name} must be between 1970-01-01 and 2200-01-01 (was {value:O}).");
        }
    }

    private static void Positive(double value, string name)
    {
        if (!(value > 0) || !double.IsFinite(value))
        {
            Fail($"{name} must be a positive number (was {value}).");
        }
    }

    private static void InRange(double value, double min, double max, string name)
    {
        if (!(value >= min && value <= max))
        {
            Fail($"{name} must be between {min} and {max} (was {value}).");
        }
    }

    private static void Fail(string message) => throw new ArgumentException(message);
}
