namespace MetricsPipeline.Decisions.Commands;

/// <summary>
/// Something whose instance counts scaling commands set: the simulated fleet, a Kubernetes Deployment (scale
/// subresource), a cloud auto-scaling group (desired capacity). Implementations must be thread-safe.
/// </summary>
public interface IScalingTarget
{
    /// <summary>The current instance count of <paramref name="service"/>.</summary>
    int GetInstanceCount(string service);

    /// <summary>Sets the instance count of <paramref name="service"/>.</summary>
    void SetInstanceCount(string service, int count);
}
