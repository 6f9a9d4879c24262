using MetricsPipeline.Ingest.Model;

namespace MetricsPipeline.Ingest.LineProtocol;

/// <summary>
/// Why and where one line of a line-protocol payload was rejected. <see cref="Line"/> and <see cref="Column"/>
/// point at the offending byte as an editor would show it (both 1-based, the column counts bytes, and a string
/// field spanning several physical lines moves the line number on). Immutable.
/// </summary>
public readonly struct LineProtocolError
{
    /// <summary>Creates an error; the reader builds these, tests and tools may too.</summary>
    /// <param name="line">1-based physical line of the offending byte.</param>
    /// <param name="column">1-based byte column of the offending byte within that physical line.</param>
    /// <param name="reason">Why the line was rejected.</param>
    /// <param name="rawLine">Where the whole rejected line sits in the payload (without its terminator).</param>
    /// <param name="token">The offending text (or limit) to quote in <see cref="Describe"/>, or <c>null</c>.</param>
    public LineProtocolError(int line, int column, LineErrorReason reason, Range rawLine, string? token)
    {
        Line = line;
        Column = column;
        Reason = reason;
        RawLine = rawLine;
        Token = token;
    }

    /// <summary>1-based physical line number of the offending byte within the payload.</summary>
    public int Line { get; }

    /// <summary>1-based byte column of the offending byte within its physical line.</summary>
    public int Column { get; }

    /// <summary>Why the line was rejected.</summary>
    public LineErrorReason Reason { get; }

    /// <summary>The snake_case code of <see cref="Reason"/> (e.g. <c>invalid_integer</c>); a constant string, no allocation.</summary>
    public string ReasonCode => LineErrorReasonText.Code(Reason);

    /// <summary>The position of the rejected line in the payload, excluding its line terminator.</summary>
    public Range RawLine { get; }

    /// <summary>The offending text (truncated to 64 characters) or the exceeded limit, or <c>null</c>.</summary>
    public string? Token { get; }

    /// <summary>A full human-readable explanation, e.g. <c>line 3, column 17: invalid integer field value 'x' (...)</c>. Allocates.</summary>
    public string Describe() => $"line {Line}, column {Column}: {LineErrorReasonText.Explain(Reason, Token)}";

    /// <summary>Builds the dead letter for this error: stage <c>parse</c>, the reason code, the description and a copy of the line.</summary>
    /// <param name="payload">The payload the error was found in (the same bytes the reader was given).</param>
    /// <param name="source">Where the payload came from, e.g. <c>metrics/3@1042</c>, or <c>null</c>.</param>
    public DeadLetter ToDeadLetter(ReadOnlySpan<byte> payload, string? source)
    {
        var (offset, length) = RawLine.GetOffsetAndLength(payload.Length);
        return new DeadLetter("parse", ReasonCode, Describe(), payload.Slice(offset, length).ToArray(), Line, Column, source);
    }

    /// <inheritdoc />
    public override string ToString() => Describe();
}
