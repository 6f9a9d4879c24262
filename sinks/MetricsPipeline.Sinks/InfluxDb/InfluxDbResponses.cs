using System.Net.Http.Headers;
using System.Text.Json;

namespace MetricsPipeline.Sinks.InfluxDb;

/// <summary>Helpers that read InfluxDB's HTTP responses. Pure and thread-safe.</summary>
public static class InfluxDbResponses
{
    /// <summary>The longest server message kept, in characters; longer ones are cut (a 400 can echo a huge batch).</summary>
    public const int MaxMessageLength = 4096;

    /// <summary>
    /// Extracts the error text from a response body: the <c>error</c> (v1) or <c>message</c> (v2) property of a JSON
    /// object, otherwise the trimmed text itself. Never throws.
    /// </summary>
    /// <param name="body">The response body.</param>
    /// <returns>The message, at most <see cref="MaxMessageLength"/> characters.</returns>
    public static string ExtractError(string? body)
    {
        var text = body?.Trim() ?? string.Empty;
        if (text.StartsWith('{'))
        {
            try
            {
                using var document = JsonDocument.Parse(text);
                if (document.RootElement.ValueKind == JsonValueKind.Object)
                {
                    foreach (var name in (ReadOnlySpan<string>)["error", "message"])
                    {
                        if (document.RootElement.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String)
                        {
                            text = value.GetString() ?? text;
                            break;
                        }
                    }
                }
            }
            catch (JsonException)
            {
                // Not JSON after all; the raw text is the best message there is.
            }
        }

        return text.Length <= MaxMessageLength ? text : text[..MaxMessageLength] + "…";
    }

    /// <summary>
    /// Reads a <c>Retry-After</c> header, given either as seconds or as an HTTP date; returns <c>null</c> when absent.
    /// A date in the past gives zero.
    /// </summary>
    /// <param name="header">The parsed header (<see cref="HttpResponseHeaders.RetryAfter"/>).</param>
    /// <param name="now">The current time, to turn a date into a delay.</param>
    /// <returns>The delay, or <c>null</c>.</returns>
    public static TimeSpan? ParseRetryAfter(RetryConditionHeaderValue? header, DateTimeOffset now)
    {
        if (header?.Delta is { } delta)
        {
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        }

        if (header?.Date is { } date)
        {
            var wait = date - now;
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }

        return null;
    }

    /// <summary>Whether a status is worth retrying: 429 and every 5xx.</summary>
    /// <param name="statusCode">The HTTP status code.</param>
    /// <returns><c>true</c> for 429 and 500–599.</returns>
    public static bool IsRetryable(int statusCode) => statusCode == 429 || statusCode >= 500;
}
