namespace MetricsPipeline.Analytics.Windows;

/// <summary>Everything the window stage keeps for one series (measurement + tag set). Not thread-safe.</summary>
internal sealed class SeriesState
{
    // Sized for one field (the common case: a million one-field series save 24 bytes each); AddField doubles them.
    private byte[][] _fieldKeys = new byte[1][];
    private string[] _fieldNames = new string[1];
    private bool[] _counters = new bool[1];
    private readonly NameCache? _names;

    public SeriesState(int id, string measurement, KeyValuePair<string, string>[] tags, int resolutions, NameCache? names = null)
    {
        _names = names;
        Id = id;
        Measurement = measurement;
        Tags = tags;
        Open = new OpenWindow?[resolutions];
    }

    public int Id { get; }

    public string Measurement { get; }

    public KeyValuePair<string, string>[] Tags { get; }

    public int FieldCount { get; private set; }

    /// <summary>
    /// The first open window per resolution, chained through <see cref="OpenWindow.Next"/> (usually one or two: the
    /// current one and one in its grace period). Intrusive lists: a million series hold no List objects.
    /// </summary>
    public OpenWindow?[] Open { get; }

    /// <summary>Closed windows kept for the late-update path, per resolution (null until first needed).</summary>
    public List<OpenWindow>?[]? Retained { get; set; }

    /// <summary>Spare window objects kept for reuse so steady state allocates nothing, chained through <see cref="OpenWindow.Next"/>.</summary>
    public OpenWindow? Spare { get; set; }

    /// <summary>Takes a spare window, or null when there is none.</summary>
    public OpenWindow? PopSpare()
    {
        var window = Spare;
        if (window is not null)
        {
            Spare = window.Next;
            window.Next = null;
        }

        return window;
    }

    /// <summary>Keeps a (reset) window for reuse.</summary>
    public void PushSpare(OpenWindow window)
    {
        window.Prev = null;
        window.Next = Spare;
        Spare = window;
    }

    /// <summary>
    /// Adds a window to the open list of its resolution, which is kept newest start first: in-order data inserts at the
    /// head, and <see cref="WindowCloser.OpenFor"/> stops at the first older start, so a backfill that holds many
    /// windows open (the watermark waiting for idle partitions) costs O(1) per point instead of a walk of the list.
    /// </summary>
    public void AddOpen(OpenWindow window)
    {
        var r = window.Resolution;
        OpenWindow? prev = null;
        var next = Open[r];
        while (next is not null && next.StartNs > window.StartNs)
        {
            prev = next;
            next = next.Next;
        }

        window.Prev = prev;
        window.Next = next;
        if (next is not null)
        {
            next.Prev = window;
        }

        if (prev is null)
        {
            Open[r] = window;
        }
        else
        {
            prev.Next = window;
        }
    }

    /// <summary>Removes a window from the open list of its resolution in O(1) (no-op when it is not there).</summary>
    public void RemoveOpen(OpenWindow window)
    {
        var r = window.Resolution;
        if (window.Prev is { } prev)
        {
            prev.Next = window.Next;
        }
        else if (Open[r] == window)
        {
            Open[r] = window.Next;
        }
        else
        {
            return; // not in the list
        }

        if (window.Next is { } next)
        {
            next.Prev = window.Prev;
        }

        window.Prev = null;
        window.Next = null;
    }

    public string FieldName(int index) => _fieldNames[index];

    /// <summary>The raw (escaped) key of a field; shared between series through the name cache when there is one.</summary>
    public byte[] FieldKey(int index) => _fieldKeys[index];

    public bool IsCounter(int index) => _counters[index];

    /// <summary>Finds the index of a field by its raw (escaped) key, adding it when new.</summary>
    public int FieldIndex(ReadOnlySpan<byte> rawKey, WindowOptions options)
    {
        for (var i = 0; i < FieldCount; i++)
        {
            if (rawKey.SequenceEqual(_fieldKeys[i]))
            {
                return i;
            }
        }

        if (_names is not null)
        {
            var (key, name) = _names.Field(rawKey);
            return AddField(key, name, options);
        }

        return AddField(rawKey.ToArray(), UnescapeKey(rawKey), options);
    }

    /// <summary>Finds the index of a field by its name, adding it when new.</summary>
    public int FieldIndex(string name, WindowOptions options)
    {
        for (var i = 0; i < FieldCount; i++)
        {
            if (_fieldNames[i] == name)
            {
                return i;
            }
        }

        return AddField(EscapeKey(name), name, options);
    }

    /// <summary>Removes line protocol's key escapes (a backslash before a comma, equals sign or space).</summary>
    public static string UnescapeKey(ReadOnlySpan<byte> raw)
    {
        Span<byte> buffer = raw.Length <= 256 ? stackalloc byte[raw.Length] : new byte[raw.Length];
        var n = 0;
        for (var i = 0; i < raw.Length; i++)
        {
            if (raw[i] == (byte)'\\' && i + 1 < raw.Length && raw[i + 1] is (byte)',' or (byte)'=' or (byte)' ')
            {
                i++;
            }

            buffer[n++] = raw[i];
        }

        return System.Text.Encoding.UTF8.GetString(buffer[..n]);
    }

    private static byte[] EscapeKey(string name)
    {
        var escaped = name.Replace(",", "\\,", StringComparison.Ordinal).Replace("=", "\\=", StringComparison.Ordinal).Replace(" ", "\\ ", StringComparison.Ordinal);
        return System.Text.Encoding.UTF8.GetBytes(escaped);
    }

    private int AddField(byte[] key, string name, WindowOptions options)
    {
        if (FieldCount == _fieldKeys.Length)
        {
            Array.Resize(ref _fieldKeys, FieldCount * 2);
            Array.Resize(ref _fieldNames, FieldCount * 2);
            Array.Resize(ref _counters, FieldCount * 2);
        }

        _fieldKeys[FieldCount] = key;
        _fieldNames[FieldCount] = name;
        _counters[FieldCount] = options.IsCounter(name, Tags);
        return FieldCount++;
    }
}
