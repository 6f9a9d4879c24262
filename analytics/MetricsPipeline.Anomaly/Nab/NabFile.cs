namespace MetricsPipeline.Anomaly.Nab;

/// <summary>One data file of a NAB corpus.</summary>
/// <param name="Name">The path relative to the corpus root, e.g. "realTraffic/speed_6005.csv".</param>
/// <param name="Timestamps">The timestamp of each row.</param>
/// <param name="Values">The value of each row.</param>
/// <param name="Windows">The labelled windows as row indices, in time order.</param>
public sealed record NabFile(string Name, IReadOnlyList<DateTime> Timestamps, double[] Values, IReadOnlyList<NabWindow> Windows)
{
    /// <summary>The probationary period P = min(floor(0.15 n), 750) rows.</summary>
    public int Probation => Math.Min((int)Math.Floor(0.15 * Values.Length), 750);
}
