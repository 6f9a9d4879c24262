using MetricsPipeline.Decisions.Commands;
using MetricsPipeline.Fleet;

namespace MetricsPipeline.Host.Stages;

/// <summary>
/// The simulated fleet as a scaling target: a command's count becomes the service's instance count from the next
/// interval the fleet generates, clamped to the fleet's 1 … <see cref="FleetOptions.MaxInstancesPerService"/>.
/// Thread-safe (the simulator is).
/// </summary>
internal sealed class ScalingFleetTarget(FleetSimulator fleet) : IScalingTarget
{
    /// <inheritdoc />
    public int GetInstanceCount(string service) => fleet.GetInstanceCount(service);

    /// <inheritdoc />
    public void SetInstanceCount(string service, int count) =>
        fleet.SetInstanceCount(service, Math.Clamp(count, 1, fleet.Options.MaxInstancesPerService));
}
