namespace MetricsPipeline.Fleet;

/// <summary>Where a fleet run is, reported after intervals.</summary>
/// <param name="Phase">Backfill or live.</param>
/// <param name="IntervalStartNs">The start (Unix ns, event time) of the interval just generated.</param>
/// <param name="IntervalsDone">Intervals generated so far in this run (backfill and live).</param>
/// <param name="BackfillIntervals">The number of history intervals of this run.</param>
/// <param name="Lines">Lines generated so far in this run.</param>
public readonly record struct FleetProgress(
    FleetRunPhase Phase, long IntervalStartNs, long IntervalsDone, long BackfillIntervals, long Lines)
{
    /// <summary>The fraction of the backfill done, in [0, 1]; 1 in live mode or when there is no history.</summary>
    public double BackfillFraction =>
        BackfillIntervals == 0 ? 1 : Math.Min(1, (double)IntervalsDone / BackfillIntervals);
}
