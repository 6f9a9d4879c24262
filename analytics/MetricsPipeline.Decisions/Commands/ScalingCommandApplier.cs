namespace MetricsPipeline.Decisions.Commands;

/// <summary>
/// The reference consumer of the scaling topic: applies <c>scaling-command/v1</c> messages to an
/// <see cref="IScalingTarget"/>, closing the loop. It drops duplicates (by id, remembering the last
/// <c>rememberedIds</c>), messages of another schema version (whose fields it cannot be sure to read right), advisory
/// commands, expired ones and superseded ones (issued before the last one applied for the service, so they would undo
/// a newer decision), and sets the absolute target count (so applying a
/// command twice could not double a scale-out even without deduplication). Thread-safe.
/// </summary>
/// <remarks>
/// A Kubernetes adapter implements <see cref="IScalingTarget"/> with the Deployment's <c>scale</c> subresource
/// (GET/PATCH <c>/apis/apps/v1/namespaces/{ns}/deployments/{service}/scale</c>, <c>spec.replicas</c>); with an HPA in
/// place it would instead patch the HPA's <c>minReplicas</c> so the two do not fight. A cloud adapter sets the
/// auto-scaling group's desired capacity (AWS <c>SetDesiredCapacity</c>, Azure VMSS capacity, GCP MIG
/// <c>resize</c>), clamped to the group's min/max. Both commit the Kafka offset only after the call succeeded.
/// </remarks>
public sealed class ScalingCommandApplier
{
    private readonly IScalingTarget _target;
    private readonly TimeProvider _time;
    private readonly int _remembered;
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();
    // Per service, the issue time of the newest command applied or found in effect: an older one arriving later is stale.
    private readonly Dictionary<string, DateTimeOffset> _newest = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>Creates the consumer.</summary>
    /// <param name="target">Where counts are set.</param>
    /// <param name="time">The clock expiry is judged on.</param>
    /// <param name="rememberedIds">How many recent ids are kept for deduplication. The default is 100 000.</param>
    public ScalingCommandApplier(IScalingTarget target, TimeProvider time, int rememberedIds = 100_000)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfLessThan(rememberedIds, 1);
        _target = target;
        _time = time;
        _remembered = rememberedIds;
    }

    /// <summary>
    /// Applies one command. Its id counts as seen only once this returns: when <see cref="IScalingTarget"/> throws,
    /// the exception propagates and the same command delivered again is applied, not dropped as a duplicate.
    /// </summary>
    public ApplyOutcome Apply(ScalingCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        lock (_lock)
        {
            if (_seen.Contains(command.Id))
            {
                return ApplyOutcome.Duplicate;
            }

            var outcome = Decide(command);
            if (outcome == ApplyOutcome.Applied)
            {
                // A target that throws leaves the id unseen, so the redelivery the consumer gets by not committing is applied.
                _target.SetInstanceCount(command.Service, command.TargetInstances);
            }

            if (outcome is ApplyOutcome.Applied or ApplyOutcome.Unchanged)
            {
                _newest[command.Service] = command.IssuedAt;
            }

            Remember(command.Id);
            return outcome;
        }
    }

    private ApplyOutcome Decide(ScalingCommand command) =>
        command.Schema != ScalingCommand.SchemaName ? ApplyOutcome.UnsupportedSchema
        : command.Advisory ? ApplyOutcome.Advisory
        : _time.GetUtcNow() > command.ExpiresAt ? ApplyOutcome.Expired
        : _newest.TryGetValue(command.Service, out var newest) && command.IssuedAt < newest ? ApplyOutcome.Superseded
        : _target.GetInstanceCount(command.Service) == command.TargetInstances ? ApplyOutcome.Unchanged
        : ApplyOutcome.Applied;

    private void Remember(string id)
    {
        _seen.Add(id);
        _order.Enqueue(id);
        if (_order.Count > _remembered)
        {
            _seen.Remove(_order.Dequeue());
        }
    }
}
