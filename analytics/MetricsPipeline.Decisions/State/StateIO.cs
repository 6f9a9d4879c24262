namespace MetricsPipeline.Decisions.State;

/// <summary>Helpers for the decision state snapshots: instants as UTC ticks, nullable instants with a presence byte.</summary>
internal static class StateIO
{
    public static void Write(BinaryWriter w, DateTimeOffset value) => w.Write(value.UtcTicks);

    /// <summary>Replaces every per-service state in <paramref name="states"/> with <paramref name="restored"/>.</summary>
    public static void Replace<TState>(Dictionary<string, TState> states, Dictionary<string, TState> restored)
    {
        states.Clear();
        foreach (var (service, st) in restored)
        {
            states.Add(service, st);
        }
    }

    /// <summary>Takes the services of <paramref name="restored"/> that <paramref name="accept"/> accepts into <paramref name="states"/>; returns them.</summary>
    public static IReadOnlyList<string> Merge<TState>(Dictionary<string, TState> states, Dictionary<string, TState> restored, Func<string, bool> accept)
    {
        ArgumentNullException.ThrowIfNull(accept);
        var merged = new List<string>();
        foreach (var (service, st) in restored)
        {
            if (accept(service))
            {
                states[service] = st;
                merged.Add(service);
            }
        }

        return merged;
    }

    public static void Write(BinaryWriter w, DateTimeOffset? value)
    {
        w.Write(value.HasValue);
        if (value is { } v)
        {
            w.Write(v.UtcTicks);
        }
    }

    public static DateTimeOffset ReadInstant(BinaryReader r) => new(r.ReadInt64(), TimeSpan.Zero);

    public static DateTimeOffset? ReadOptionalInstant(BinaryReader r) => r.ReadBoolean() ? ReadInstant(r) : null;

    /// <summary>Runs <paramref name="read"/> over <paramref name="data"/>, turning any read failure into a <see cref="FormatException"/>.</summary>
    public static void Read(ReadOnlySpan<byte> data, byte version, Action<BinaryReader> read) => Read(data, version, version, (r, _) => read(r));

    /// <summary>
    /// Runs <paramref name="read"/> over <paramref name="data"/> written in any version from <paramref name="oldest"/>
    /// to <paramref name="newest"/>, handing it the version found; read failures become a <see cref="FormatException"/>.
    /// </summary>
    public static void Read(ReadOnlySpan<byte> data, byte oldest, byte newest, Action<BinaryReader, byte> read)
    {
        try
        {
            using var r = new BinaryReader(new MemoryStream(data.ToArray(), writable: false));
            var found = r.ReadByte();
            if (found < oldest || found > newest)
            {
                throw new FormatException($"State version {found} is not supported (expected {(oldest == newest ? $"{newest}" : $"{oldest}–{newest}")}).");
            }

            read(r, found);
            if (r.BaseStream.Position != r.BaseStream.Length)
            {
                throw new FormatException("Trailing bytes after the state.");
            }
        }
        catch (Exception ex) when (ex is EndOfStreamException or IOException or ArgumentException or InvalidOperationException)
        {
            throw new FormatException("Malformed state: " + ex.Message, ex);
        }
    }

    /// <summary>
    /// Writes a snapshot of the per-service states <paramref name="include"/> accepts, in ordinal service order: the
    /// version byte, their count, then each service's name followed by <paramref name="write"/>'s output.
    /// </summary>
    public static byte[] WriteServices<TState>(byte version, Dictionary<string, TState> states, Func<string, bool> include, Action<BinaryWriter, TState> write) => Write(version, w =>
    {
        ArgumentNullException.ThrowIfNull(include);
        var selected = states.Where(s => include(s.Key)).OrderBy(s => s.Key, StringComparer.Ordinal).ToList();
        w.Write(selected.Count);
        foreach (var (service, st) in selected)
        {
            w.Write(service);
            write(w, st);
        }
    });

    /// <summary>
    /// Reads a <see cref="WriteServices"/> snapshot of any version from <paramref name="oldest"/> to
    /// <paramref name="newest"/>: <paramref name="read"/> reads one service's state, given its name and the version found.
    /// </summary>
    public static Dictionary<string, TState> ReadServices<TState>(ReadOnlySpan<byte> data, byte oldest, byte newest, Func<BinaryReader, string, byte, TState> read)
    {
        var restored = new Dictionary<string, TState>(StringComparer.Ordinal);
        Read(data, oldest, newest, (r, version) =>
        {
            var count = r.ReadInt32();
            for (var i = 0; i < count; i++)
            {
                var service = r.ReadString();
                restored[service] = read(r, service, version);
            }
        });
        return restored;
    }

    /// <summary>Writes a snapshot: the version byte, then <paramref name="write"/>'s output.</summary>
    public static byte[] Write(byte version, Action<BinaryWriter> write)
    {
        using var stream = new MemoryStream();
        using (var w = new BinaryWriter(stream))
        {
            w.Write(version);
            write(w);
        }

        return stream.ToArray();
    }
}
