namespace MetricsPipeline.Forecasting.Streaming;

/// <content>Checkpoint of every series' forecaster (history, model) and the store versions refused so far.</content>
public sealed partial class StreamForecastEngine
{
    private const byte StateVersion = 1;

    /// <summary>The engine's per-series state as a versioned binary snapshot. Not thread-safe (pipeline thread).</summary>
    public byte[] SaveState()
    {
        using var stream = new MemoryStream();
        using (var w = new BinaryWriter(stream))
        {
            w.Write(StateVersion);
            w.Write(_byKey.Count);
            foreach (var (key, series) in _byKey.OrderBy(s => s.Key, StringComparer.Ordinal))
            {
                w.Write(key);
                w.Write(series.Series);
                w.Write(_series[series.Series].MetricName);
                w.Write(series.Group);
                series.SaveCheckpoint(w);
            }

            w.Write(_rejectedVersion.Count);
            foreach (var (key, version) in _rejectedVersion.OrderBy(s => s.Key, StringComparer.Ordinal))
            {
                w.Write(key);
                w.Write(version);
            }
        }

        return stream.ToArray();
    }

    /// <summary>
    /// Replaces the state with a <see cref="SaveState"/> snapshot taken with the same series configuration;
    /// <see cref="FormatException"/> on bad or mismatched data (the state is then unchanged).
    /// </summary>
    public void RestoreState(ReadOnlySpan<byte> state)
    {
        var restored = new Dictionary<string, OnlineSeriesForecaster>(StringComparer.Ordinal);
        var rejected = new Dictionary<string, int>(StringComparer.Ordinal);
        try
        {
            using var r = new BinaryReader(new MemoryStream(state.ToArray(), writable: false));
            if (r.ReadByte() != StateVersion)
            {
                throw new FormatException("Not a forecast-engine state of version 1.");
            }

            var count = r.ReadInt32();
            for (var i = 0; i < count; i++)
            {
                var key = r.ReadString();
                var index = r.ReadInt32();
                var metric = r.ReadString();
                if ((uint)index >= (uint)_series.Count || _series[index].MetricName != metric)
                {
                    throw new FormatException($"The state's series {index} ('{metric}') is not configured here.");
                }

                var series = new OnlineSeriesForecaster(_options, index, r.ReadString(), key, _steps[index]);
                series.RestoreCheckpoint(r);
                restored[key] = series;
            }

            var refused = r.ReadInt32();
            for (var i = 0; i < refused; i++)
            {
                rejected[r.ReadString()] = r.ReadInt32();
            }

            if (r.BaseStream.Position != r.BaseStream.Length)
            {
                throw new FormatException("Trailing bytes after the forecast-engine state.");
            }
        }
        catch (Exception ex) when (ex is EndOfStreamException or InvalidDataException or IOException or ArgumentException or InvalidOperationException)
        {
            throw new FormatException("Malformed forecast-engine state: " + ex.Message, ex);
        }

        _byKey.Clear();
        foreach (var (key, series) in restored)
        {
            _byKey.Add(key, series);
        }

        _rejectedVersion.Clear();
        foreach (var (key, version) in rejected)
        {
            _rejectedVersion.Add(key, version);
        }
    }
}
