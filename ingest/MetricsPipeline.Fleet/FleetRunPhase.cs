namespace MetricsPipeline.Fleet;

/// <summary>What a <see cref="FleetRunner"/> is doing.</summary>
public enum FleetRunPhase
{
    /// <summary>Generating history as fast as possible.</summary>
    Backfill,

    /// <summary>Generating intervals paced by the clock (at <see cref="FleetRunOptions.Speed"/>).</summary>
    Live,
}
