namespace MetricsPipeline.Sinks.Batching;

/// <summary>
/// The destination rejected the batch for a reason retrying cannot fix (HTTP 4xx other than 429: bad data,
/// missing database, no permission). The batch goes to the dead-letter sink and is then acknowledged.
/// </summary>
public sealed class PermanentWriteException : Exception
{
    /// <summary>Creates an exception with a generic message.</summary>
    public PermanentWriteException()
        : this("The destination rejected the batch.")
    {
    }

    /// <summary>Creates an exception with the server's message.</summary>
    /// <param name="message">The server's message.</param>
    public PermanentWriteException(string message)
        : this(message, reason: "rejected", statusCode: null)
    {
    }

    /// <summary>Creates an exception with the server's message and a cause.</summary>
    /// <param name="message">The server's message.</param>
    /// <param name="innerException">The underlying failure.</param>
    public PermanentWriteException(string message, Exception? innerException)
        : base(message, innerException)
    {
        Reason = "rejected";
    }

    /// <summary>Creates an exception with the server's message, a machine-readable reason and the HTTP status.</summary>
    /// <param name="message">The server's message (e.g. InfluxDB's <c>error</c> text).</param>
    /// <param name="reason">The dead-letter reason, e.g. <c>http_400</c>.</param>
    /// <param name="statusCode">The HTTP status, when there was one.</param>
    public PermanentWriteException(string message, string reason, int? statusCode)
        : base(message)
    {
        ArgumentException.ThrowIfNullOrEmpty(reason);
        Reason = reason;
        StatusCode = statusCode;
    }

    /// <summary>The dead-letter reason, e.g. <c>http_400</c>. The default is <c>rejected</c>.</summary>
    public string Reason { get; }

    /// <summary>The HTTP status code, or <c>null</c> when the failure was not an HTTP response.</summary>
    public int? StatusCode { get; }
}
