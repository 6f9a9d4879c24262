namespace MetricsPipeline.Ingest.Model;

/// <summary>The unit of a line-protocol timestamp, as InfluxDB's <c>precision</c> parameter names it.</summary>
public enum TimestampPrecision
{
    /// <summary>Nanoseconds (<c>ns</c>), line protocol's default.</summary>
    Nanoseconds,

    /// <summary>Microseconds (<c>us</c>).</summary>
    Microseconds,

    /// <summary>Milliseconds (<c>ms</c>).</summary>
    Milliseconds,

    /// <summary>Seconds (<c>s</c>).</summary>
    Seconds,
}
