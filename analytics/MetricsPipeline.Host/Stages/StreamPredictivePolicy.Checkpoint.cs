using System.Text;

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
    public byte[] SaveState(Func<string, bool> include)
    {
        var services = Services.Where(include).Order(StringComparer.Ordinal).ToList();
        using var stream = new MemoryStream();
        using (var w = new BinaryWriter(stream, Encoding.UTF8))
        {
            w.Write(StateVersion);
            w.Write(services.Count);
            foreach (var service in services)
            {
                w.Write(service);
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
            }
        }

        return stream.ToArray();
    }

    /// <summary>
    /// Replaces the state of the services in <paramref name="state"/> that <paramref name="accept"/> accepts (a service's
    /// estimate or policy missing from the state is cleared) and returns them; every other service is left alone.
    /// <see cref="FormatException"/> on data it cannot read (the state is then unchanged).
    /// </summary>
    public IReadOnlyList<string> MergeState(ReadOnlySpan<byte> state, Func<string, bool> accept)
    {
        var read = Read(state);
        var merged = new List<string>();
        foreach (var (service, (estimate, policy)) in read)
        {
            if (!accept(service))
            {
                continue;
            }

            Forget(service);
            if (estimate is not null)
            {
                _estimates[service] = estimate;
            }

            if (policy is not null)
            {
                _policies[service] = policy;
            }

            merged.Add(service);
        }

        return merged;
    }

    /// <summary>Replaces the whole state (see <see cref="MergeState"/>).</summary>
    public void RestoreState(ReadOnlySpan<byte> state)
    {
        var read = Read(state);
        _estimates.Clear();
        _policies.Clear();
        foreach (var (service, (estimate, policy)) in read)
        {
            if (estimate is not null)
            {
                _estimates[service] = estimate;
            }

            if (policy is not null)
            {
                _policies[service] = policy;
            }
        }
    }

    /// <summary>Forgets <paramref name="service"/>'s estimate and policy.</summary>
    public void Forget(string service)
    {
        _estimates.Remove(service);
        _policies.Remove(service);
    }

    private Dictionary<string, (CapacityEstimate? Estimate, Decisions.Scaling.PredictiveScalingPolicy? Policy)> Read(ReadOnlySpan<byte> state)
    {
        var result = new Dictionary<string, (CapacityEstimate?, Decisions.Scaling.PredictiveScalingPolicy?)>(StringComparer.Ordinal);
        try
        {
            using var r = new BinaryReader(new MemoryStream(state.ToArray(), writable: false), Encoding.UTF8);
            var version = r.ReadByte();
            if (version != StateVersion)
            {
                throw new FormatException($"Predictive-scaling state version {version} is not supported (this build reads {StateVersion}).");
            }

            var count = r.ReadInt32();
            for (var i = 0; i < count; i++)
            {
                var service = r.ReadString();
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

                result[service] = (estimate, policy);
            }

            if (r.BaseStream.Position != r.BaseStream.Length)
            {
                throw new FormatException("Trailing bytes after the predictive-scaling state.");
            }
        }
        catch (Exception ex) when (ex is EndOfStreamException or IOException or ArgumentException)
        {
            throw new FormatException("Malformed predictive-scaling state: " + ex.Message, ex);
        }

        return result;
    }
}
