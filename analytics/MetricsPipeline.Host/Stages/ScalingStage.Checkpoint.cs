using System.Text;
using MetricsPipeline.Analytics.State;
using MetricsPipeline.Analytics.Windows;
using MetricsPipeline.Decisions.Commands;

namespace MetricsPipeline.Host.Stages;

/// <content>
/// Checkpointing: the reactive policy's per-service state (cooldowns, stabilisation and baseline windows), the
/// threshold alerts' states and, since state version 2, each service's first-seen time (the warm-up of the emergency
/// path) and last published command (the repeat suppression), so a restart or a takeover neither repeats a command
/// inside its cooldown nor re-opens an open alert; since version 3 the predictive policy's per-service state
/// (capacity estimate, calibrated forecast errors, candidates, stabilisation window, last actions), so predictive
/// commands continue as if the service had not moved, and the cost engine's per-service spend, days, projections and
/// sent budget alerts (its fleet-wide <c>total</c> scope only in the whole state: it is no service's key). The stage
/// key is the service. The per-window groups are not saved:
/// every group is evaluated in the batch that closes it, so none is pending between batches, when checkpoints are
/// taken. Since version 4 the whole state also holds the last evaluation tick, so after a restore the ticks (and the
/// sweep for silent services, whose no-data clocks and last-snapshot times are in the alert state) go on from where
/// they stopped, even while no window closes: a restored stage resolves a silent service's alert at the same event time
/// as one that never stopped. A version 1–3 state restores without it: the ticks start again at the first window
/// closed, as in those builds. The keyed states (a takeover) never carry it: the running stage keeps its own ticks.
/// Since version 5 the growth phase each service is in (<see cref="MetricsPipeline.Decisions.Scaling.GrowthPhasePolicy"/>): before, a restart read the
/// phase again from the first snapshot, and a service held in its phase by the down hysteresis restarted in the phase
/// below, whose phase command scaled it in to that phase's maximum. A version 1–4 state restores without it (as before).
/// </content>
public sealed partial class ScalingStage : IKeyedCheckpointedStage
{
    private const byte StateVersion = 5;

    /// <inheritdoc />
    public byte[] SaveState() => Save(_ => true, _lastTickNs);

    /// <inheritdoc />
    public void RestoreState(ReadOnlySpan<byte> state)
    {
        var (policy, alerts, services, predictive, cost, lastTick, phases) = Read(state);
        _lastTickNs = lastTick;
        if (phases.Length > 0)
        {
            _phases?.RestoreState(phases);
        }

        if (policy.Length > 0)
        {
            _reactive.RestoreState(policy);
        }

        if (cost.Length > 0)
        {
            _cost?.RestoreState(cost);
        }

        if (predictive.Length > 0)
        {
            _predictive?.RestoreState(predictive);
        }

        if (alerts.Length > 0)
        {
            _alerts?.RestoreState(alerts);
        }

        if (services is not null)
        {
            _firstSeen.Clear();
            _lastPublished.Clear();
            Apply(services, _ => true);
        }
    }

    /// <inheritdoc />
    public void CollectKeys(WindowResult window, ICollection<string> keys)
    {
        ArgumentNullException.ThrowIfNull(window);
        ArgumentNullException.ThrowIfNull(keys);
        if (window.Measurement is "service" or "http_request" && Service(window) is { } service)
        {
            keys.Add(service);
        }
    }

    /// <inheritdoc />
    public byte[] SaveKeys(IReadOnlyCollection<string> keys)
    {
        var set = keys.ToHashSet(StringComparer.Ordinal);
        return Save(set.Contains, null);
    }

    /// <inheritdoc />
    public IReadOnlyList<string> MergeKeys(ReadOnlySpan<byte> state, Func<string, bool> accept)
    {
        ArgumentNullException.ThrowIfNull(accept);
        var (policy, alerts, services, predictive, cost, _, phases) = Read(state);

        // A service's state is replaced as a whole: what the saved state lacks for it (say, no alert yet) is cleared.
        var accepted = new HashSet<string>(StringComparer.Ordinal);
        bool Probe(string service)
        {
            // Only learns which services the state holds: answering false leaves the state untouched.
            if (accept(service))
            {
                accepted.Add(service);
            }

            return false;
        }

        if (policy.Length > 0)
        {
            _reactive.MergeState(policy, Probe);
        }

        if (alerts.Length > 0)
        {
            _alerts?.MergeState(alerts, Probe);
        }

        if (predictive.Length > 0)
        {
            _predictive?.MergeState(predictive, Probe);
        }

        if (cost.Length > 0)
        {
            _cost?.MergeState(cost, Probe);
        }

        if (phases.Length > 0)
        {
            _phases?.MergeState(phases, Probe);
        }

        foreach (var service in services?.Keys ?? Enumerable.Empty<string>())
        {
            Probe(service);
        }

        DropKeys(accepted);
        if (policy.Length > 0)
        {
            _reactive.MergeState(policy, accepted.Contains);
        }

        if (alerts.Length > 0)
        {
            _alerts?.MergeState(alerts, accepted.Contains);
        }

        if (services is not null)
        {
            Apply(services, accepted.Contains);
        }

        if (predictive.Length > 0)
        {
            _predictive?.MergeState(predictive, accepted.Contains);
        }

        if (cost.Length > 0)
        {
            _cost?.MergeState(cost, accepted.Contains);
        }

        if (phases.Length > 0)
        {
            _phases?.MergeState(phases, accepted.Contains);
        }

        return [.. accepted.Order(StringComparer.Ordinal)];
    }

    /// <inheritdoc />
    public void DropKeys(IReadOnlyCollection<string> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        foreach (var service in keys)
        {
            _reactive.Forget(service);
            _alerts?.Forget(service);
            _firstSeen.Remove(service);
            _lastPublished.Remove(service);
            _spikes.Remove(service);
            _predictive?.Forget(service);
            _forecasts.Forget(service);
            _cost?.Forget(service);
            _phases?.Forget(service);
        }
    }

    private byte[] Save(Func<string, bool> include, long? lastTickNs)
    {
        // The reactive policy carries the cooldowns and stabilisation windows, the predictive one its calibration.
        var policy = _reactive.SaveState(include);
        var predictive = _predictive?.SaveState(include) ?? [];
        var cost = _cost?.SaveState(include) ?? [];
        var alerts = _alerts?.SaveState(include) ?? [];
        var phases = _phases?.SaveState(include) ?? [];
        var services = _firstSeen.Keys.Concat(_lastPublished.Keys).Where(include).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        using var stream = new MemoryStream();
        using (var w = new BinaryWriter(stream, Encoding.UTF8))
        {
            w.Write(StateVersion);
            w.Write(policy.Length);
            w.Write(policy);
            w.Write(alerts.Length);
            w.Write(alerts);
            w.Write(services.Count);
            foreach (var service in services)
            {
                w.Write(service);
                var seen = _firstSeen.TryGetValue(service, out var first);
                w.Write(seen);
                w.Write(seen ? first.UtcTicks : 0);
                var published = _lastPublished.TryGetValue(service, out var last);
                w.Write(published && last is not null ? ScalingCommandJson.ToJson(last) : string.Empty);
            }

            w.Write(predictive.Length);
            w.Write(predictive);
            w.Write(cost.Length);
            w.Write(cost);
            w.Write(lastTickNs.HasValue);
            w.Write(lastTickNs ?? 0);
            w.Write(phases.Length);
            w.Write(phases);
        }

        return stream.ToArray();
    }

    // Version 1 (policy and alerts only) is still read; its services section is null. Versions 1 and 2 have no
    // predictive and cost sections (empty): those start clean, as they did in those builds. Versions 1 to 3 have no
    // last tick (null). Versions 1 to 4 have no growth phases (empty).
    private static (byte[] Policy, byte[] Alerts, Dictionary<string, (DateTimeOffset? FirstSeen, ScalingCommand? Last)>? Services, byte[] Predictive, byte[] Cost, long? LastTickNs, byte[] Phases) Read(ReadOnlySpan<byte> state)
    {
        try
        {
            using var r = new BinaryReader(new MemoryStream(state.ToArray(), writable: false), Encoding.UTF8);
            var version = r.ReadByte();
            if (version is 0 or > StateVersion)
            {
                throw new FormatException($"Scaling-stage state version {version} is not supported (this build reads 1 to {StateVersion}).");
            }

            var policy = ReadBlock(r);
            var alerts = ReadBlock(r);
            Dictionary<string, (DateTimeOffset?, ScalingCommand?)>? services = null;
            if (version >= 2)
            {
                var count = r.ReadInt32();
                services = new Dictionary<string, (DateTimeOffset?, ScalingCommand?)>(StringComparer.Ordinal);
                for (var i = 0; i < count; i++)
                {
                    var service = r.ReadString();
                    var seen = r.ReadBoolean();
                    var ticks = r.ReadInt64();
                    var json = r.ReadString();
                    services[service] = (seen ? new DateTimeOffset(ticks, TimeSpan.Zero) : null, json.Length > 0 ? ScalingCommandJson.Parse(json) : null);
                }
            }

            var predictive = version >= 3 ? ReadBlock(r) : [];
            var cost = version >= 3 ? ReadBlock(r) : [];
            long? lastTick = null;
            if (version >= 4)
            {
                var hasTick = r.ReadBoolean();
                var tick = r.ReadInt64();
                lastTick = hasTick ? tick : null;
            }

            var phases = version >= 5 ? ReadBlock(r) : [];

            if (r.BaseStream.Position != r.BaseStream.Length)
            {
                throw new FormatException("Trailing bytes after the scaling-stage state.");
            }

            return (policy, alerts, services, predictive, cost, lastTick, phases);
        }
        catch (Exception ex) when (ex is EndOfStreamException or IOException or ArgumentException or System.Text.Json.JsonException)
        {
            throw new FormatException("Malformed scaling-stage state: " + ex.Message, ex);
        }
    }

    private static byte[] ReadBlock(BinaryReader r)
    {
        var length = r.ReadInt32();
        if (length < 0 || length > r.BaseStream.Length - r.BaseStream.Position)
        {
            throw new FormatException("Scaling-stage state is truncated.");
        }

        return r.ReadBytes(length);
    }

    private void Apply(Dictionary<string, (DateTimeOffset? FirstSeen, ScalingCommand? Last)> services, Func<string, bool> accept)
    {
        foreach (var (service, (first, last)) in services)
        {
            if (!accept(service))
            {
                continue;
            }

            if (first is { } seen)
            {
                _firstSeen[service] = seen;
            }

            if (last is not null)
            {
                _lastPublished[service] = last;
            }
        }
    }
}
