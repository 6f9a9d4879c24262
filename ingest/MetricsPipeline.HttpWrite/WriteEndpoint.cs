using System.Buffers;
using System.Text.Json;
using MetricsPipeline.Ingest.Model;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace MetricsPipeline.HttpWrite;

/// <summary>
/// Handles InfluxDB write requests: v1 <c>POST /write?db=&amp;precision=n|u|ms|s</c> and v2
/// <c>POST /api/v2/write?org=&amp;bucket=&amp;precision=ns|us|ms|s</c>. Answers as InfluxDB does: 204 when every line
/// was written; 400 with the first error when a line was rejected (the valid lines are still written: a partial
/// write, with the rejected count); 401 bad token; 413 body too large; 429 with <c>Retry-After</c> when
/// <see cref="HttpWriteOptions.MaxConcurrentWrites"/> requests are already in progress. Thread-safe.
/// </summary>
public sealed class WriteEndpoint : IDisposable
{
    private readonly HttpWriteOptions options;
    private readonly LineForwarder forwarder;
    private readonly IDeadLetterSink? deadLetters;
    private readonly ILogger logger;
    private readonly SemaphoreSlim slots;

    /// <summary>Creates the endpoint logic.</summary>
    public WriteEndpoint(HttpWriteOptions options, ILineTarget target, IDeadLetterSink? deadLetters, ILogger logger, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        this.options = options;
        this.deadLetters = deadLetters;
        this.logger = logger;
        forwarder = new LineForwarder(target, options, Statistics, timeProvider);
        slots = new SemaphoreSlim(Math.Max(1, options.MaxConcurrentWrites));
    }

    /// <summary>The endpoint's counters.</summary>
    public HttpWriteStatistics Statistics { get; } = new();

    /// <summary>Handles one write request; <paramref name="v2"/> selects the v2 query parameters and error body.</summary>
    public async Task HandleAsync(HttpContext context, bool v2)
    {
        ArgumentNullException.ThrowIfNull(context);
        Statistics.Request();
        var request = context.Request;
        var response = context.Response;
        response.Headers["X-Influxdb-Version"] = "1.8-metrics-pipeline";
        if (!WriteAuthorizer.IsAuthorized(request, options.Token))
        {
            Statistics.Unauthorize();
            await ErrorAsync(response, v2, StatusCodes.Status401Unauthorized, "unauthorized", "authorization failed").ConfigureAwait(false);
            return;
        }

        var target = request.Query[v2 ? "bucket" : "db"].ToString();
        if (target.Length == 0)
        {
            await ErrorAsync(response, v2, StatusCodes.Status400BadRequest, "invalid", v2 ? "bucket is required" : "database is required").ConfigureAwait(false);
            return;
        }

        if (!TryPrecision(request.Query["precision"].ToString(), out var precision))
        {
            await ErrorAsync(response, v2, StatusCodes.Status400BadRequest, "invalid", "invalid precision; valid precision units are ns, us, ms, and s").ConfigureAwait(false);
            return;
        }

        if (request.ContentLength > options.MaxBodyBytes)
        {
            await TooLargeAsync(response, v2).ConfigureAwait(false);
            return;
        }

        if (!slots.Wait(0))
        {
            Statistics.Throttle();
            response.Headers.RetryAfter = options.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            await ErrorAsync(response, v2, StatusCodes.Status429TooManyRequests, "too many requests", "the pipeline is applying backpressure; retry later").ConfigureAwait(false);
            return;
        }

        Statistics.Enter();
        try
        {
            await WriteAsync(context, v2, precision, target).ConfigureAwait(false);
        }
        finally
        {
            Statistics.Leave();
            slots.Release();
        }
    }

    private async Task WriteAsync(HttpContext context, bool v2, TimestampPrecision precision, string database)
    {
        var request = context.Request;
        var response = context.Response;
        var gzip = request.Headers.ContentEncoding.ToString().Contains("gzip", StringComparison.OrdinalIgnoreCase);
        (byte[] Buffer, int Length)? body;
        try
        {
            body = await BodyReader.ReadAsync(request.Body, gzip, options.MaxBodyBytes, request.ContentLength, context.RequestAborted).ConfigureAwait(false);
        }
        catch (InvalidDataException)
        {
            await ErrorAsync(response, v2, StatusCodes.Status400BadRequest, "invalid", "request body is not valid gzip").ConfigureAwait(false);
            return;
        }

        if (body is not { } read)
        {
            await TooLargeAsync(response, v2).ConfigureAwait(false);
            return;
        }

        WriteOutcome outcome;
        try
        {
            outcome = forwarder.Forward(read.Buffer.AsSpan(0, read.Length), precision, $"http:{request.Path}?{(v2 ? "bucket" : "db")}={database}");
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(read.Buffer);
        }

        await SendDeadLettersAsync(outcome.DeadLetters).ConfigureAwait(false);
        if (outcome.Rejected == 0)
        {
            response.StatusCode = StatusCodes.Status204NoContent;
            return;
        }

        var message = v2
            ? $"partial write has occurred, errors encountered on {outcome.Rejected} line(s), {outcome.Accepted} written: {outcome.FirstError}"
            : outcome.Accepted == 0 ? outcome.FirstError! : $"partial write: {outcome.FirstError} dropped={outcome.Rejected}";
        await ErrorAsync(response, v2, StatusCodes.Status400BadRequest, "invalid", message).ConfigureAwait(false);
    }

    private async Task SendDeadLettersAsync(IReadOnlyList<DeadLetter> letters)
    {
        if (deadLetters is null)
        {
            return;
        }

        foreach (var letter in letters)
        {
            try
            {
                await deadLetters.WriteAsync(letter).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // A failing dead-letter sink must not fail the client's write; it is logged.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                logger.LogWarning(ex, "Could not write a dead letter ({Reason}).", letter.Reason);
            }
        }
    }

    private Task TooLargeAsync(HttpResponse response, bool v2)
    {
        Statistics.TooLargeBody();
        return ErrorAsync(response, v2, StatusCodes.Status413PayloadTooLarge, "request too large", $"request body exceeds {options.MaxBodyBytes} bytes");
    }

    private static bool TryPrecision(string text, out TimestampPrecision precision)
    {
        precision = text switch
        {
            "" or "n" or "ns" => TimestampPrecision.Nanoseconds,
            "u" or "us" or "µ" => TimestampPrecision.Microseconds,
            "ms" => TimestampPrecision.Milliseconds,
            "s" => TimestampPrecision.Seconds,
            _ => (TimestampPrecision)(-1),
        };
        return precision >= 0;
    }

    /// <summary>Writes InfluxDB's error body: v1 <c>{"error":"..."}</c>, v2 <c>{"code":"...","message":"..."}</c>.</summary>
    private static async Task ErrorAsync(HttpResponse response, bool v2, int status, string code, string message)
    {
        response.StatusCode = status;
        response.ContentType = "application/json; charset=utf-8";
        response.Headers["X-Influxdb-Error"] = message.Length > 512 ? message[..512] : message;
        var body = v2
            ? JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["code"] = code, ["message"] = message })
            : JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["error"] = message });
        await response.Body.WriteAsync(body).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public void Dispose() => slots.Dispose();
}
