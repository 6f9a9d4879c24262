using System.Text;

namespace MetricsPipeline.Host.Stages;

/// <summary>
/// The framing of a stage's keyed state snapshot (the version byte, the key count, then each key's name and its state)
/// and the restore and merge of what it read, shared by the stages whose state is per service or scope.
/// </summary>
internal static class KeyedStageState
{
    /// <summary>Writes the state of <paramref name="keys"/>, each as its name followed by <paramref name="writeKey"/>'s output.</summary>
    public static byte[] Write(byte version, IReadOnlyList<string> keys, Action<BinaryWriter, string> writeKey)
    {
        using var stream = new MemoryStream();
        using (var w = new BinaryWriter(stream, Encoding.UTF8))
        {
            w.Write(version);
            w.Write(keys.Count);
            foreach (var key in keys)
            {
                w.Write(key);
                writeKey(w, key);
            }
        }

        return stream.ToArray();
    }

    /// <summary>
    /// Reads a <see cref="Write"/> snapshot of <paramref name="version"/>; <paramref name="readKey"/> reads one key's state.
    /// Any other version, truncated data or trailing bytes are a <see cref="FormatException"/> naming <paramref name="what"/>
    /// (e.g. "Cost").
    /// </summary>
    public static Dictionary<string, T> Read<T>(ReadOnlySpan<byte> data, byte version, string what, Func<BinaryReader, T> readKey) =>
        Read(data, version, version, what, (r, _) => readKey(r));

    /// <summary>
    /// Reads a <see cref="Write"/> snapshot of any version from <paramref name="oldest"/> to <paramref name="version"/>;
    /// <paramref name="readKey"/> reads one key's state of the version found. Otherwise as
    /// <see cref="Read{T}(ReadOnlySpan{byte}, byte, string, Func{BinaryReader, T})"/>.
    /// </summary>
    public static Dictionary<string, T> Read<T>(ReadOnlySpan<byte> data, byte oldest, byte version, string what, Func<BinaryReader, byte, T> readKey)
    {
        var result = new Dictionary<string, T>(StringComparer.Ordinal);
        var name = what.ToLowerInvariant();
        try
        {
            using var r = new BinaryReader(new MemoryStream(data.ToArray(), writable: false), Encoding.UTF8);
            var found = r.ReadByte();
            if (found < oldest || found > version)
            {
                throw new FormatException(oldest == version
                    ? $"{what} state version {found} is not supported (this build reads {version})."
                    : $"{what} state version {found} is not supported (this build reads {oldest} to {version}).");
            }

            var count = r.ReadInt32();
            for (var i = 0; i < count; i++)
            {
                var key = r.ReadString();
                result[key] = readKey(r, found);
            }

            if (r.BaseStream.Position != r.BaseStream.Length)
            {
                throw new FormatException($"Trailing bytes after the {name} state.");
            }
        }
        catch (Exception ex) when (ex is EndOfStreamException or IOException or ArgumentException)
        {
            throw new FormatException($"Malformed {name} state: " + ex.Message, ex);
        }

        return result;
    }

    /// <summary>
    /// Replaces the state of every key in <paramref name="read"/> that <paramref name="accept"/> accepts: <paramref name="forget"/>
    /// clears what the stage held for it, <paramref name="put"/> installs what was read. Returns the keys replaced.
    /// </summary>
    public static IReadOnlyList<string> Merge<T>(Dictionary<string, T> read, Func<string, bool> accept, Action<string> forget, Action<string, T> put)
    {
        var merged = new List<string>();
        foreach (var (key, state) in read)
        {
            if (!accept(key))
            {
                continue;
            }

            forget(key);
            put(key, state);
            merged.Add(key);
        }

        return merged;
    }
}
