using MetricsPipeline.Fleet;

namespace MetricsPipeline.Host.Stages;

/// <summary>Settings of the streaming anomaly stage (section <c>Analytics:Anomaly</c>).</summary>
public sealed class AnomalyStageOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Analytics:Anomaly";

    /// <summary>Whether the stage runs. The default is true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The online detector per series: <c>auto</c>, <c>iid-spike</c>, <c>iid-changepoint</c> or <c>srcnn</c>. The default is <c>auto</c>.</summary>
    public string Detector { get; set; } = "auto";

    /// <summary>The window size the detectors follow. The default is 1 minute.</summary>
    public TimeSpan WindowSize { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The monitored series; null or empty means <see cref="DefaultSeries"/>. The default is null.</summary>
    public IList<AnomalySeriesOptions>? Series { get; set; }

    /// <summary>The Kafka topic of <c>alert/v1</c> messages. The default (null) is <c>Kafka:Topics:Alerts</c> (<c>alerts</c>).</summary>
    public string? AlertTopic { get; set; }

    /// <summary>Anomaly score (in [0, 1]) from which a window is anomalous (severity warning). The default is 0.5.</summary>
    public double WarningScore { get; set; } = 0.5;

    /// <summary>Anomaly score from which the severity is critical. The default is 0.9.</summary>
    public double CriticalScore { get; set; } = 0.9;

    /// <summary>Repeat an unchanged open alert after this much event time. The default is 30 minutes.</summary>
    public TimeSpan RenotifyInterval { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>No new episode opens sooner than this after the previous one opened. The default is 10 minutes.</summary>
    public TimeSpan MinimumReAlertInterval { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Normal windows in a row that resolve an open alert. The default is 3.</summary>
    public int ResolveAfterWindows { get; set; } = 3;

    /// <summary>Windows in the robust baseline (expected value and bounds). The default is 60.</summary>
    public int BaselineWindows { get; set; } = 60;

    /// <summary>Half-width of the bounds in robust standard deviations. The default is 4.</summary>
    public double BoundWidth { get; set; } = 4;

    /// <summary>
    /// A traffic-signal series at or above this multiple of its expected value, on an anomalous window, is a traffic spike
    /// (severity emergency, and a <see cref="MetricsPipeline.Anomaly.Streaming.TrafficSpikeSignal"/>). The default is 1.8.
    /// </summary>
    public double TrafficSpikeRatio { get; set; } = 1.8;

    /// <summary>Write an <c>anomaly</c> point for every scored window, not only anomalous ones and transitions. The default is false.</summary>
    public bool WriteAllScores { get; set; }

    /// <summary>Series families monitored by default, matching the simulated fleet (<see cref="FleetSchema"/>).</summary>
    public static IList<AnomalySeriesOptions> DefaultSeries() =>
    [
        new() { Name = "request_rate", Measurement = FleetSchema.ServiceMeasurement, Field = FleetSchema.RequestRate, Statistic = "mean", Combine = "sum", TrafficSignal = true },
        new() { Name = "latency_p95", Measurement = FleetSchema.HttpRequestMeasurement, Field = FleetSchema.LatencyMs, Statistic = "p95", Combine = "max" },
        new() { Name = "latency_p99", Measurement = FleetSchema.HttpRequestMeasurement, Field = FleetSchema.LatencyMs, Statistic = "p99", Combine = "max" },
        new() { Name = "error_rate", Measurement = FleetSchema.ServiceMeasurement, Field = FleetSchema.ErrorRate, Statistic = "mean", Combine = "mean" },
        new() { Name = "cpu_percent", Measurement = FleetSchema.ServiceMeasurement, Field = FleetSchema.CpuPercent, Statistic = "mean", Combine = "mean" },
    ];

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    /// <exception cref="ArgumentException">A setting is invalid.</exception>
    public void Validate()
    {
        if (WindowSize <= TimeSpan.Zero)
        {
            throw new ArgumentException($"{Section}:WindowSize must be positive.");
        }

        if (AlertTopic is not null && string.IsNullOrWhiteSpace(AlertTopic))
        {
            throw new ArgumentException($"{Section}:AlertTopic must not be blank.");
        }

        if (Detector is not ("auto" or "iid-spike" or "iid-changepoint" or "srcnn"))
        {
            throw new ArgumentException($"{Section}:Detector must be auto, iid-spike, iid-changepoint or srcnn (got '{Detector}').");
        }

        if (!(WarningScore > 0 && WarningScore <= CriticalScore && CriticalScore <= 1))
        {
            throw new ArgumentException($"{Section}: need 0 < WarningScore <= CriticalScore <= 1.");
        }

        if (ResolveAfterWindows < 1 || BaselineWindows < 3 || !(BoundWidth > 0) || !(TrafficSpikeRatio > 1))
        {
            throw new ArgumentException($"{Section}: ResolveAfterWindows >= 1, BaselineWindows >= 3, BoundWidth > 0 and TrafficSpikeRatio > 1 are required.");
        }

        foreach (var s in Series ?? [])
        {
            if (string.IsNullOrWhiteSpace(s.Name) || string.IsNullOrWhiteSpace(s.Measurement) || string.IsNullOrWhiteSpace(s.Field))
            {
                throw new ArgumentException($"{Section}:Series entries need Name, Measurement and Field.");
            }

            if (s.Combine is not ("sum" or "mean" or "max"))
            {
                throw new ArgumentException($"{Section}:Series '{s.Name}': Combine must be sum, mean or max (got '{s.Combine}').");
            }
        }
    }
}
