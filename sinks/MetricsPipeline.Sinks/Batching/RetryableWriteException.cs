namespace MetricsPipeline.Sinks.Batching;

/// <summary>
/// A transient write failure (server overloaded, unavailable, rate limited). The batch is retried; it is never dropped.
/// </summary>
public sealed class RetryableWriteException : Exception
{
    /// <summary>Creates an exception without a server-supplied delay.</summary>
    public RetryableWriteException()
        : this("The write failed transiently.")
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    /// <param name="message">What went wrong.</param>
    public RetryableWriteException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and a cause.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The underlying failure.</param>
    public RetryableWriteException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an exception that carries the delay the server asked for.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="retryAfter">The server's <c>Retry-After</c>, or <c>null</c> to use exponential backoff.</param>
    /// <param name="statusCode">The HTTP status, when there was one.</param>
    public RetryableWriteException(string message, TimeSpan? retryAfter, int? statusCode = null)
        : base(message)
    {
        RetryAfter = retryAfter;
        StatusCode = statusCode;
    }

    /// <summary>
    /// How long the server asked the client to wait (HTTP <c>Retry-After</c>), or <c>null</c>. When set, the
    /// next attempt waits exactly this long instead of the exponential backoff.
    /// </summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>The HTTP status code, or <c>null</c> for network errors.</summary>
    public int? StatusCode { get; }
}
