using System.Globalization;
using MetricsPipeline.Analytics.State;
using MetricsPipeline.Analytics.Windows;
using MetricsPipeline.Anomaly.Streaming;

namespace MetricsPipeline.Host.Stages;

/// <content>
/// Checkpointing: every monitored series' detector, baseline, alert lifecycle and last scored window, so a restart
/// neither re-learns the detectors nor re-opens an open alert. The per-batch accumulators are empty between batches
/// (each batch is scored completely), when checkpoints are taken. The stage key is <c>definition|group</c> (the index
/// of the configured series and its group, e.g. <c>0|api</c>), so with routing by service a service's detectors and
/// alert lifecycles travel with its partition.
/// </content>
public sealed partial class AnomalyStage : IKeyedCheckpointedStage
{
    private const byte StateVersion = 1;

    /// <inheritdoc />
    public byte[] SaveState() => Save(_ => true);

    /// <inheritdoc />
    public void RestoreState(ReadOnlySpan<byte> state)
    {
        var restored = Read(state);
        _series.Clear();
        foreach (var (key, series) in restored)
        {
            _series.Add(key, series);
        }
    }

    /// <inheritdoc />
    public void CollectKeys(WindowResult window, ICollection<string> keys)
    {
        ArgumentNullException.ThrowIfNull(window);
        ArgumentNullException.ThrowIfNull(keys);
        for (var d = 0; d < _definitions.Length; d++)
        {
            if (window.Measurement == _definitions[d].Options.Measurement && _definitions[d].Group(window) is { } group)
            {
                keys.Add(Key(d, group));
            }
        }
    }

    /// <inheritdoc />
    public byte[] SaveKeys(IReadOnlyCollection<string> keys)
    {
        var set = keys.ToHashSet(StringComparer.Ordinal);
        return Save(k => set.Contains(Key(k.Definition, k.Group)));
    }

    /// <inheritdoc />
    public IReadOnlyList<string> MergeKeys(ReadOnlySpan<byte> state, Func<string, bool> accept)
    {
        ArgumentNullException.ThrowIfNull(accept);
        var merged = new List<string>();
        foreach (var (key, series) in Read(state))
        {
            var name = Key(key.Definition, key.Group);
            if (accept(name))
            {
                _series[key] = series;
                merged.Add(name);
            }
        }

        return merged;
    }

    /// <inheritdoc />
    public void DropKeys(IReadOnlyCollection<string> keys)
    {
        var set = keys.ToHashSet(StringComparer.Ordinal);
        foreach (var key in _series.Keys.Where(k => set.Contains(Key(k.Definition, k.Group))).ToList())
        {
            _series.Remove(key);
        }
    }

    private static string Key(int definition, string group) => string.Create(CultureInfo.InvariantCulture, $"{definition}|{group}");

    private byte[] Save(Func<(int Definition, string Group), bool> include)
    {
        using var stream = new MemoryStream();
        using (var w = new BinaryWriter(stream))
        {
            w.Write(StateVersion);
            w.Write(_options.Detector);
            var selected = _series.Where(s => include(s.Key)).OrderBy(s => s.Key.Definition).ThenBy(s => s.Key.Group, StringComparer.Ordinal).ToList();
            w.Write(selected.Count);
            foreach (var ((definition, group), state) in selected)
            {
                w.Write(definition);
                w.Write(_definitions[definition].Options.Name);
                w.Write(group);
                w.Write(state.LastStartNs);
                state.Detector.SaveCheckpoint(w);
                state.Baseline.SaveCheckpoint(w);
                state.Lifecycle.SaveCheckpoint(w);
            }
        }

        return stream.ToArray();
    }

    private Dictionary<(int Definition, string Group), AnomalySeriesState> Read(ReadOnlySpan<byte> state)
    {
        var restored = new Dictionary<(int Definition, string Group), AnomalySeriesState>();
        try
        {
            using var r = new BinaryReader(new MemoryStream(state.ToArray(), writable: false));
            if (r.ReadByte() != StateVersion)
            {
                throw new FormatException("Not an anomaly-stage state of version 1.");
            }

            var detector = r.ReadString();
            if (detector != _options.Detector)
            {
                throw new FormatException($"The state is for detector '{detector}', this stage runs '{_options.Detector}'.");
            }

            var count = r.ReadInt32();
            for (var i = 0; i < count; i++)
            {
                var index = r.ReadInt32();
                var name = r.ReadString();
                if ((uint)index >= (uint)_definitions.Length || _definitions[index].Options.Name != name)
                {
                    throw new FormatException($"The state's series definition {index} ('{name}') is not configured here.");
                }

                var group = r.ReadString();
                var series = new AnomalySeriesState(
                    _definitions[index],
                    group,
                    CreateDetector(_options.Detector),
                    new RobustBaseline(_options.BaselineWindows, _options.BoundWidth, BaselineMinimum),
                    new AlertLifecycle(_options.RenotifyInterval, _options.MinimumReAlertInterval, _options.ResolveAfterWindows))
                {
                    LastStartNs = r.ReadInt64(),
                };
                series.Detector.RestoreCheckpoint(r);
                series.Baseline.RestoreCheckpoint(r);
                series.Lifecycle.RestoreCheckpoint(r);
                restored[(index, group)] = series;
            }

            if (r.BaseStream.Position != r.BaseStream.Length)
            {
                throw new FormatException("Trailing bytes after the anomaly-stage state.");
            }
        }
        catch (Exception ex) when (ex is EndOfStreamException or InvalidDataException or IOException or ArgumentException or InvalidOperationException)
        {
            throw new FormatException("Malformed anomaly-stage state: " + ex.Message, ex);
        }

        return restored;
    }
}
