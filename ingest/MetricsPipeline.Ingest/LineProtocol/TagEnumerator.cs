namespace MetricsPipeline.Ingest.LineProtocol;

/// <summary>
/// Enumerates the tags of a validated line in the order written, without allocating. Use with <c>foreach</c>.
/// </summary>
public ref struct TagEnumerator
{
    private readonly ReadOnlySpan<byte> _tags;
    private int _position;
    private LineTag _current;

    internal TagEnumerator(ReadOnlySpan<byte> tags, int count)
    {
        _tags = tags;
        Count = count;
        _position = 0;
        _current = default;
    }

    /// <summary>The number of tags on the line.</summary>
    public int Count { get; }

    /// <summary>The current tag.</summary>
    public readonly LineTag Current => _current;

    /// <summary>Returns this enumerator, so that <c>foreach</c> works.</summary>
    public readonly TagEnumerator GetEnumerator() => this;

    /// <summary>Advances to the next tag; false after the last one.</summary>
    public bool MoveNext()
    {
        if (_position >= _tags.Length)
        {
            return false;
        }

        // The span is ",k=v,k=v"; validation guarantees every piece is present.
        var keyStart = _position + 1;
        var equals = LineParser.ScanName(_tags, keyStart, LineParser.KeyStopValues);
        var valueEnd = LineParser.ScanName(_tags, equals + 1, LineParser.MeasurementStopValues);
        _current = new LineTag(_tags[keyStart..equals], _tags[(equals + 1)..valueEnd]);
        _position = valueEnd;
        return true;
    }
}
