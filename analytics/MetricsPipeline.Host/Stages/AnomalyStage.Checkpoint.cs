using MetricsPipeline.Analytics.State;
using MetricsPipeline.Anomaly.Streaming;

namespace MetricsPipeline.Host.Stages;

/// <content>
/// Checkpointing: every monitored series' detector, baseline, alert lifecycle and last scored window, so a restart
/// neither re-learns the detectors nor re-opens an open alert. The per-batch accumulators are empty between batches
/// (each batch is scored completely), when checkpoints are taken.
/// </content>
public sealed partial class AnomalyStage : ICheckpointedStage
{
    private const byte StateVersion = 1;

    /// <inheritdoc />
    public byte[] SaveState()
    {
        using var stream = new MemoryStream();
        using (var w = new BinaryWriter(stream))
        {
            w.Write(StateVersion);
            w.Write(_options.Detector);
            w.Write(_series.Count);
            foreach (var ((definition, group), state) in _series.OrderBy(s => s.Key.Definition).ThenBy(s => s.Key.Group, StringComparer.Ordinal))
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

    /// <inheritdoc />
    public void RestoreState(ReadOnlySpan<byte> state)
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

        _series.Clear();
        foreach (var (key, series) in restored)
        {
            _series.Add(key, series);
        }
    }
}
