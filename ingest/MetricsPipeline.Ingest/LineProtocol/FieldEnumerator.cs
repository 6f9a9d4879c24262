namespace MetricsPipeline.Ingest.LineProtocol;

/// <summary>
/// Enumerates the fields of a validated line in the order written, without allocating. Use with <c>foreach</c>.
/// </summary>
public ref struct FieldEnumerator
{
    private readonly ReadOnlySpan<byte> _fields;
    private int _position;
    private LineField _current;

    internal FieldEnumerator(ReadOnlySpan<byte> fields, int count)
    {
        _fields = fields;
        Count = count;
        _position = 0;
        _current = default;
    }

    /// <summary>The number of fields on the line.</summary>
    public int Count { get; }

    /// <summary>The current field.</summary>
    public readonly LineField Current => _current;

    /// <summary>Returns this enumerator, so that <c>foreach</c> works.</summary>
    public readonly FieldEnumerator GetEnumerator() => this;

    /// <summary>Advances to the next field; false after the last one.</summary>
    public bool MoveNext()
    {
        if (_position >= _fields.Length)
        {
            return false;
        }

        // The span is "k=v,k=v"; validation guarantees every piece is present and well-formed.
        var keyStart = _position;
        var equals = LineParser.ScanName(_fields, keyStart, LineParser.KeyStopValues);
        var valueStart = equals + 1;
        int valueEnd;
        if (_fields[valueStart] == '"')
        {
            valueEnd = LineParser.ScanString(_fields, valueStart + 1) + 1;
        }
        else if (Count == 1)
        {
            valueEnd = _fields.Length; // the only field runs to the end of the field set: no search
        }
        else
        {
            var comma = _fields[valueStart..].IndexOf((byte)',');
            valueEnd = comma < 0 ? _fields.Length : valueStart + comma;
        }

        _current = new LineField(_fields[keyStart..equals], _fields[valueStart..valueEnd]);
        _position = valueEnd + 1;
        return true;
    }
}
