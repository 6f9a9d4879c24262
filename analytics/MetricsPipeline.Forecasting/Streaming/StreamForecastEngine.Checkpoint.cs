namespace MetricsPipeline.Forecasting.Streaming;

/// <content>Checkpoint of every series' forecaster (history, model) and the store versions refused so far.</content>
public sealed partial class StreamForecastEngine
{
    // Version 2 adds each series' ModelThroughNs and which buffered windows were filled in for a gap; version 1 still reads.
    private const byte StateVersion = 2;

    /// <summary>The engine's per-series state as a versioned binary snapshot. Not thread-safe (pipeline thread).</summary>
    public byte[] SaveState() => SaveState(_ => true);

    /// <summary>
    /// The state of the series whose key (<see cref="OnlineSeriesForecaster.SeriesKey"/>) <paramref name="include"/>
    /// accepts, in the <see cref="SaveState()"/> format. Not thread-safe (pipeline thread).
    /// </summary>
    public byte[] SaveState(Func<string, bool> include)
    {
        ArgumentNullException.ThrowIfNull(include);
        using var stream = new MemoryStream();
        using (var w = new BinaryWriter(stream))
        {
            w.Write(StateVersion);
            var selected = _byKey.Where(s => include(s.Key)).OrderBy(s => s.Key, StringComparer.Ordinal).ToList();
            w.Write(selected.Count);
            foreach (var (key, series) in selected)
            {
                w.Write(key);
                w.Write(series.Series);
                w.Write(_series[series.Series].MetricName);
                w.Write(series.Group);
                series.SaveCheckpoint(w);
            }

            var refused = _rejectedVersion.Where(s => include(s.Key)).OrderBy(s => s.Key, StringComparer.Ordinal).ToList();
            w.Write(refused.Count);
            foreach (var (key, version) in refused)
            {
                w.Write(key);
                w.Write(version);
            }
        }

        return stream.ToArray();
    }

    /// <summary>
    /// Replaces the state with a <see cref="SaveState()"/> snapshot taken with the same series configuration;
    /// <see cref="FormatException"/> on bad or mismatched data (the state is then unchanged).
    /// </summary>
    public void RestoreState(ReadOnlySpan<byte> state)
    {
        var (restored, rejected) = Read(state);
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

    /// <summary>
    /// Replaces the state of the series in <paramref name="state"/> (a <see cref="SaveState(Func{string, bool})"/>
    /// snapshot) whose key <paramref name="accept"/> accepts and keeps every other series'; returns the keys replaced.
    /// <see cref="FormatException"/> on bad or mismatched data (the state is then unchanged).
    /// </summary>
    public IReadOnlyList<string> MergeState(ReadOnlySpan<byte> state, Func<string, bool> accept)
    {
        ArgumentNullException.ThrowIfNull(accept);
        var (restored, rejected) = Read(state);
        var merged = new List<string>();
        foreach (var (key, series) in restored)
        {
            if (accept(key))
            {
                Forget(key);
                _byKey[key] = series;
                merged.Add(key);
            }
        }

        foreach (var (key, version) in rejected)
        {
            if (accept(key))
            {
                _rejectedVersion[key] = version;
            }
        }

        return merged;
    }

    /// <summary>Forgets the forecaster (and any refused store version) of the series <paramref name="key"/>.</summary>
    public void Forget(string key)
    {
        _byKey.Remove(key);
        _rejectedVersion.Remove(key);
    }

    private (Dictionary<string, OnlineSeriesForecaster> Series, Dictionary<string, int> Rejected) Read(ReadOnlySpan<byte> state)
    {
        var restored = new Dictionary<string, OnlineSeriesForecaster>(StringComparer.Ordinal);
        var rejected = new Dictionary<string, int>(StringComparer.Ordinal);
        try
        {
            using var r = new BinaryReader(new MemoryStream(state.ToArray(), writable: false));
            var version = r.ReadByte();
            if (version is < 1 or > StateVersion)
            {
                throw new FormatException($"Not a forecast-engine state of version 1 to {StateVersion} (version byte {version}).");
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
                series.RestoreCheckpoint(r, withModelThrough: version >= 2);
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

        return (restored, rejected);
    }
}
