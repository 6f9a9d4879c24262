namespace MetricsPipeline.Host.Stages;

/// <content>
/// Checkpointing per service: the capacity estimate (complete or the samples towards it) and the service's
/// <see cref="Decisions.Scaling.PredictiveScalingPolicy"/> with the capacity it was built with and its state
/// (calibrated errors, candidates, load history, stabilisation window, last actions). So a restart or a takeover
/// continues the service's predictive decisions where they were instead of re-estimating and re-calibrating.
/// </content>
internal sealed partial class StreamPredictivePolicy
{
    private const byte StateVersion = 1;

    /// <summary>The services with predictive state.</summary>
    public IEnumerable<string> Services => _policies.Keys.Concat(_estimates.Keys).Distinct(StringComparer.Ordinal);

    /// <summary>The state of the services <paramref name="include"/> accepts, versioned binary.</summary>
    public byte[] SaveState(Func<string, bool> include) =>
        KeyedStageState.Write(StateVersion, Services.Where(include).Order(StringComparer.Ordinal).ToList(), (w, service) =>
        {
            var estimated = _estimates.TryGetValue(service, out var estimate);
            w.Write(estimated);
            if (estimated)
            {
                estimate!.Save(w);
            }

            var hasPolicy = _policies.TryGetValue(service, out var policy);
            w.Write(hasPolicy);
            if (hasPolicy)
            {
                w.Write(policy!.Options.CapacityPerInstance);
                var blob = policy.SaveState(s => s == service);
                w.Write(blob.Length);
                w.Write(blob);
            }
        });

    /// <summary>
    /// Replaces the state of the services in <paramref name="state"/> that <paramref name="accept"/> accepts (a service's
    /// estimate or policy missing from the state is cleared) and returns them; every other service is left alone.
    /// <see cref="FormatException"/> on data it cannot read (the state is then unchanged).
    /// </summary>
    public IReadOnlyList<string> MergeState(ReadOnlySpan<byte> state, Func<string, bool> accept) =>
        KeyedStageState.Merge(Read(state), accept, Forget, Put);

    /// <summary>Replaces the whole state (see <see cref="MergeState"/>).</summary>
    public void RestoreState(ReadOnlySpan<byte> state)
    {
        var read = Read(state);
        _estimates.Clear();
        _policies.Clear();
        foreach (var (service, serviceState) in read)
        {
            Put(service, serviceState);
        }
    }

    /// <summary>Forgets <paramref name="service"/>'s estimate and policy.</summary>
    public void Forget(string service)
    {
        _estimates.Remove(service);
        _policies.Remove(service);
    }

    private void Put(string service, (CapacityEstimate? Estimate, Decisions.Scaling.PredictiveScalingPolicy? Policy) read)
    {
        if (read.Estimate is not null)
        {
            _estimates[service] = read.Estimate;
        }

        if (read.Policy is not null)
        {
            _policies[service] = read.Policy;
        }
    }

    private Dictionary<string, (CapacityEstimate? Estimate, Decisions.Scaling.PredictiveScalingPolicy? Policy)> Read(ReadOnlySpan<byte> state) =>
        KeyedStageState.Read<(CapacityEstimate?, Decisions.Scaling.PredictiveScalingPolicy?)>(state, StateVersion, "Predictive-scaling", r =>
        {
            CapacityEstimate? estimate = null;
            if (r.ReadBoolean())
            {
                estimate = new CapacityEstimate(_options.CapacityEstimateWindows);
                estimate.Restore(r);
            }

            Decisions.Scaling.PredictiveScalingPolicy? policy = null;
            if (r.ReadBoolean())
            {
                var capacity = r.ReadDouble();
                var length = r.ReadInt32();
                if (length < 0 || length > r.BaseStream.Length - r.BaseStream.Position || !(capacity > 0))
                {
                    throw new FormatException("Predictive-scaling state is truncated.");
                }

                policy = new Decisions.Scaling.PredictiveScalingPolicy(Options(capacity), _forecasters);
                policy.RestoreState(r.ReadBytes(length));
            }

            return (estimate, policy);
        });
}
