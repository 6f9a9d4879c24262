using MetricsPipeline.Decisions.State;

namespace MetricsPipeline.Decisions.Scaling;

/// <content>
/// Checkpointing: the phase each service is in, by the phase's name. The phase cannot be read again from the first
/// snapshot after a restart: within the down hysteresis (users under a phase's threshold but not 10 % under) it depends
/// on the phase before, and a service there restarted into the phase below (a phase command scaled it in to that
/// phase's maximum). A saved phase that the current phases no longer name is dropped: its service starts afresh.
/// </content>
public sealed partial class GrowthPhasePolicy
{
    private const byte StateVersion = 1;

    /// <summary>The phase of every service as a versioned binary snapshot. Not thread-safe.</summary>
    public byte[] SaveState() => SaveState(_ => true);

    /// <summary>The phase of the services <paramref name="include"/> accepts, in the <see cref="SaveState()"/> format.</summary>
    public byte[] SaveState(Func<string, bool> include) =>
        StateIO.WriteServices(StateVersion, _current, include, (w, index) => w.Write(_phases[index].Name));

    /// <summary>Replaces every service's phase with a <see cref="SaveState()"/> snapshot; <see cref="FormatException"/> on bad data (state unchanged).</summary>
    public void RestoreState(ReadOnlySpan<byte> state) => StateIO.Replace(_current, Read(state));

    /// <summary>Takes the phases of the services in <paramref name="state"/> that <paramref name="accept"/> accepts; returns them.</summary>
    public IReadOnlyList<string> MergeState(ReadOnlySpan<byte> state, Func<string, bool> accept) => StateIO.Merge(_current, Read(state), accept);

    /// <summary>Forgets the phase of <paramref name="service"/>.</summary>
    public void Forget(string service) => _current.Remove(service);

    private Dictionary<string, int> Read(ReadOnlySpan<byte> state)
    {
        var read = StateIO.ReadServices(state, StateVersion, StateVersion, (r, _, _) =>
        {
            string name = r.ReadString();
            return Array.FindIndex(_phases, p => p.Name == name);
        });
        foreach (var unknown in read.Where(s => s.Value < 0).Select(s => s.Key).ToList())
        {
            read.Remove(unknown);
        }

        return read;
    }
}
