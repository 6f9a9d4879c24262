using System.IO.Compression;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using MetricsPipeline.Ingest.LineProtocol;
using MetricsPipeline.Ingest.Model;
using MetricsPipeline.Sinks.Batching;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace MetricsPipeline.Sinks.InfluxDb;

/// <summary>
/// Writes batches of <see cref="MetricPoint"/>s to InfluxDB over HTTP (v1 <c>/write</c> or v2 <c>/api/v2/write</c>),
/// serialised with <see cref="LineProtocolWriter"/> into a pooled buffer and optionally gzip-compressed.
/// </summary>
/// <remarks>
/// Status mapping: 2xx is success. 429 and 5xx, network errors and timeouts throw
/// <see cref="RetryableWriteException"/> (carrying <c>Retry-After</c>). Every other status throws
/// <see cref="PermanentWriteException"/> with reason <c>http_&lt;status&gt;</c> and the server's error text.
/// A <em>partial write</em> (HTTP 400 whose message says "partial write") is treated as permanent for the whole
/// batch: InfluxDB has stored the valid points and rejected the rest, and re-sending would not change that, so the
/// whole batch goes to the dead-letter path with the server's message naming the bad lines.
/// Points that cannot be serialised at all (no field, NaN) are skipped, logged and counted in
/// <see cref="InvalidPointsSkipped"/>. With <see cref="InfluxDbOptions.RetentionPolicies"/> a batch is split by retention
/// policy and each part is one request (<c>rp=</c> for v1, the mapped bucket for v2); a failure of any part fails the
/// whole batch, so a retry re-writes parts that had succeeded, which InfluxDB stores idempotently (same series and
/// timestamp overwrite). Thread-safe.
/// </remarks>
public sealed class InfluxDbWriter : IBatchWriter<MetricPoint>
{
    // HttpClient is meant to be long-lived and shared; writers built without one share this.
    private static readonly HttpClient SharedHttpClient = new(new SocketsHttpHandler
    {
        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        ConnectTimeout = TimeSpan.FromSeconds(5),
    })
    {
        Timeout = System.Threading.Timeout.InfiniteTimeSpan,
    };

    private readonly InfluxDbOptions _options;
    private readonly HttpClient _http;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Uri _writeUri;
    private readonly Dictionary<string, Uri> _policyUris = new(StringComparer.Ordinal);
    private readonly AuthenticationHeaderValue? _authorization;
    private long _invalidPointsSkipped;

    /// <summary>Creates a writer. The options are validated here.</summary>
    /// <param name="options">Where and how to write.</param>
    /// <param name="httpClient">The client to use; the default is a shared one. Its own timeout is not used.</param>
    /// <param name="logger">Logger; the default logs nothing.</param>
    /// <param name="timeProvider">Clock for timeouts and <c>Retry-After</c> dates; the default is the system clock.</param>
    /// <exception cref="InvalidOperationException">A setting is invalid; the message names it.</exception>
    public InfluxDbWriter(InfluxDbOptions options, HttpClient? httpClient = null, ILogger? logger = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _http = httpClient ?? SharedHttpClient;
        _logger = logger ?? NullLogger.Instance;
        _time = timeProvider ?? TimeProvider.System;
        _writeUri = BuildWriteUri(options, null);
        foreach (var policy in options.RetentionPolicies.Values.Distinct(StringComparer.Ordinal))
        {
            _policyUris[policy] = BuildWriteUri(options, policy);
        }
        _authorization = BuildAuthorization(options);
    }

    /// <summary>The URI batches are posted to, including the query string.</summary>
    public Uri WriteUri => _writeUri;

    /// <summary>How many points were skipped because they cannot be written as line protocol.</summary>
    public long InvalidPointsSkipped => Interlocked.Read(ref _invalidPointsSkipped);

    /// <summary>The URI points of retention policy <paramref name="policy"/> are posted to (<see cref="WriteUri"/> for null).</summary>
    /// <param name="policy">A policy named in <see cref="InfluxDbOptions.RetentionPolicies"/>, or null.</param>
    /// <returns>The write URI.</returns>
    public Uri WriteUriFor(string? policy) => policy is not null && _policyUris.TryGetValue(policy, out var uri) ? uri : _writeUri;

    /// <summary>
    /// The retention policy <paramref name="point"/> is routed to: the policy mapped to its
    /// <see cref="InfluxDbOptions.RetentionPolicyTag"/> value, or null for the default.
    /// </summary>
    /// <param name="point">The point.</param>
    /// <returns>The policy name or null.</returns>
    public string? RetentionPolicyOf(MetricPoint point)
    {
        ArgumentNullException.ThrowIfNull(point);
        if (_policyUris.Count == 0)
        {
            return null;
        }

        var tags = point.Tags;
        for (var i = 0; i < tags.Count; i++)
        {
            if (tags[i].Key == _options.RetentionPolicyTag)
            {
                return _options.RetentionPolicies.TryGetValue(tags[i].Value, out var policy) ? policy : null;
            }
        }

        return null;
    }

    /// <inheritdoc />
    public async Task WriteBatchAsync(IReadOnlyList<MetricPoint> batch, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (_policyUris.Count == 0 || batch.Count == 0)
        {
            await WriteToAsync(batch, _writeUri, ct).ConfigureAwait(false);
            return;
        }

        // Usually a batch holds one resolution only; split only when it does not.
        var first = RetentionPolicyOf(batch[0]);
        var mixed = false;
        for (var i = 1; i < batch.Count && !mixed; i++)
        {
            mixed = RetentionPolicyOf(batch[i]) != first;
        }

        if (!mixed)
        {
            await WriteToAsync(batch, WriteUriFor(first), ct).ConfigureAwait(false);
            return;
        }

        var parts = new Dictionary<string, List<MetricPoint>>(StringComparer.Ordinal);
        var defaults = new List<MetricPoint>();
        foreach (var point in batch)
        {
            var policy = RetentionPolicyOf(point);
            if (policy is null)
            {
                defaults.Add(point);
            }
            else
            {
                if (!parts.TryGetValue(policy, out var part))
                {
                    parts[policy] = part = [];
                }

                part.Add(point);
            }
        }

        if (defaults.Count > 0)
        {
            await WriteToAsync(defaults, _writeUri, ct).ConfigureAwait(false);
        }

        foreach (var (policy, part) in parts)
        {
            await WriteToAsync(part, WriteUriFor(policy), ct).ConfigureAwait(false);
        }
    }

    private async Task WriteToAsync(IReadOnlyList<MetricPoint> batch, Uri writeUri, CancellationToken ct)
    {
        using var body = new PooledByteBuffer();
        var written = Serialize(batch, body, _options.Precision);
        if (written < batch.Count)
        {
            Interlocked.Add(ref _invalidPointsSkipped, batch.Count - written);
            _logger.LogWarning("Skipped {Count} points that cannot be written as line protocol.", batch.Count - written);
        }

        if (body.Length == 0)
        {
            return;
        }

        using var compressed = _options.Gzip ? new PooledByteBuffer(Math.Max(4096, body.Length / 4)) : null;
        if (compressed is not null)
        {
            using (var gzip = new GZipStream(compressed.AsStream(), CompressionLevel.Fastest))
            {
                gzip.Write(body.WrittenSpan);
            }
        }

        var payload = compressed ?? body;
        using var request = new HttpRequestMessage(HttpMethod.Post, writeUri);
        request.Headers.Authorization = _authorization;
        request.Content = new ByteArrayContent(payload.Array, 0, payload.Length);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("text/plain") { CharSet = "utf-8" };
        if (compressed is not null)
        {
            request.Content.Headers.ContentEncoding.Add("gzip");
        }

        using var response = await SendAsync(request, ct).ConfigureAwait(false);
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var status = (int)response.StatusCode;
        var message = await ReadErrorAsync(response, ct).ConfigureAwait(false);
        var text = string.IsNullOrEmpty(message) ? $"HTTP {status} {response.ReasonPhrase}" : message;
        if (InfluxDbResponses.IsRetryable(status))
        {
            var retryAfter = InfluxDbResponses.ParseRetryAfter(response.Headers.RetryAfter, _time.GetUtcNow());
            throw new RetryableWriteException($"InfluxDB answered {status}: {text}", retryAfter, status);
        }

        throw new PermanentWriteException(text, $"http_{status}", status);
    }

    /// <summary>
    /// v1: creates <see cref="InfluxDbOptions.Database"/> if it does not exist (<c>POST /query</c> with
    /// <c>CREATE DATABASE</c>, which is idempotent). v2: does nothing — buckets are provisioned by an administrator.
    /// </summary>
    /// <param name="ct">Cancels the request.</param>
    /// <returns>A task that completes when the database exists.</returns>
    /// <exception cref="InvalidOperationException">The server refused; the message is the server's.</exception>
    /// <exception cref="RetryableWriteException">The server could not be reached or did not answer in time.</exception>
    public async Task EnsureDatabaseAsync(CancellationToken ct = default)
    {
        if (_options.EffectiveApiVersion != InfluxDbApiVersion.V1)
        {
            return;
        }

        await ExecuteAsync("CREATE DATABASE " + QuoteIdentifier(_options.Database!), ct).ConfigureAwait(false);
    }

    /// <summary>
    /// v1: creates each retention policy (name → duration) on <see cref="InfluxDbOptions.Database"/> unless it exists
    /// (<c>CREATE RETENTION POLICY … DURATION … REPLICATION 1</c>; an existing policy is left unchanged, because
    /// shortening a policy deletes data and is an operator's decision). v2: does nothing — buckets and DBRP mappings are
    /// provisioned by an administrator. Call <see cref="EnsureDatabaseAsync"/> first.
    /// </summary>
    /// <param name="policies">Policy names and how long each keeps data (whole hours, at least 1 h).</param>
    /// <param name="ct">Cancels the requests.</param>
    /// <returns>A task that completes when every policy exists.</returns>
    /// <exception cref="InvalidOperationException">The server refused; the message is the server's.</exception>
    /// <exception cref="RetryableWriteException">The server could not be reached or did not answer in time.</exception>
    public async Task EnsureRetentionPoliciesAsync(IEnumerable<KeyValuePair<string, TimeSpan>> policies, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(policies);
        if (_options.EffectiveApiVersion != InfluxDbApiVersion.V1)
        {
            return;
        }

        foreach (var (name, duration) in policies)
        {
            var hours = Math.Max(1, (long)Math.Ceiling(duration.TotalHours));
            var statement = $"CREATE RETENTION POLICY {QuoteIdentifier(name)} ON {QuoteIdentifier(_options.Database!)} DURATION {hours}h REPLICATION 1";
            try
            {
                await ExecuteAsync(statement, ct).ConfigureAwait(false);
            }
            catch (InvalidOperationException ex) when (ex.Message.Contains("already exists", StringComparison.OrdinalIgnoreCase))
            {
                // Same name with other settings: keep the operator's policy.
            }
        }
    }

    private async Task ExecuteAsync(string statement, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(BaseUrl(_options) + "/query"));
        request.Headers.Authorization = _authorization;
        request.Content = new FormUrlEncodedContent([new KeyValuePair<string, string>("q", statement)]);
        using var response = await SendAsync(request, ct).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"InfluxDB refused {statement}: HTTP {(int)response.StatusCode} {InfluxDbResponses.ExtractError(body)}");
        }

        // A 200 can still carry a statement error inside results[].
        using var document = JsonDocument.Parse(string.IsNullOrWhiteSpace(body) ? "{}" : body);
        if (document.RootElement.TryGetProperty("results", out var results) && results.ValueKind == JsonValueKind.Array)
        {
            foreach (var result in results.EnumerateArray())
            {
                if (result.TryGetProperty("error", out var error))
                {
                    throw new InvalidOperationException($"InfluxDB refused {statement}: {error.GetString()}");
                }
            }
        }
    }

    /// <summary>Returns whether the server answers <c>GET /ping</c> with success within the timeout. Never throws.</summary>
    /// <param name="ct">Cancels the check (then the answer is <c>false</c>).</param>
    /// <returns><c>true</c> when the server is up.</returns>
    public async Task<bool> PingAsync(CancellationToken ct = default)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(BaseUrl(_options) + "/ping"));
            using var response = await SendAsync(request, ct).ConfigureAwait(false);
            return response.IsSuccessStatusCode;
        }
        catch (Exception)
        {
            return false;
        }
    }

    /// <summary>
    /// Serialises the points that can be serialised to <paramref name="output"/>, skipping the others.
    /// Used for request bodies and for dead-letter payloads.
    /// </summary>
    /// <param name="points">The points.</param>
    /// <param name="output">Where the line protocol goes.</param>
    /// <param name="precision">The timestamp unit.</param>
    /// <returns>How many points were written.</returns>
    public static int Serialize(IReadOnlyList<MetricPoint> points, System.Buffers.IBufferWriter<byte> output, TimestampPrecision precision)
    {
        ArgumentNullException.ThrowIfNull(points);
        var written = 0;
        for (var i = 0; i < points.Count; i++)
        {
            if (IsWritable(points[i]))
            {
                LineProtocolWriter.Write(points[i], output, precision);
                written++;
            }
        }

        return written;
    }

    /// <summary>Formats a batch as line protocol for the dead-letter payload.</summary>
    /// <param name="points">The rejected batch.</param>
    /// <returns>The batch as UTF-8 line protocol (nanosecond timestamps).</returns>
    public static ReadOnlyMemory<byte> FormatDeadLetter(IReadOnlyList<MetricPoint> points)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(Math.Max(256, points.Count * 64));
        Serialize(points, buffer, TimestampPrecision.Nanoseconds);
        return buffer.WrittenMemory;
    }

    /// <summary>
    /// The query-string value of <paramref name="precision"/>: ns, us, ms, s — except that v1 spells microseconds
    /// <c>u</c>. InfluxDB 1.x silently treats an unknown value such as <c>us</c> as nanoseconds (seen on 1.6.7), so
    /// getting this wrong corrupts timestamps without any error.
    /// </summary>
    /// <param name="precision">The precision.</param>
    /// <param name="apiVersion">The API the parameter is for.</param>
    /// <returns>The parameter value.</returns>
    public static string PrecisionParameter(TimestampPrecision precision, InfluxDbApiVersion apiVersion) => precision switch
    {
        TimestampPrecision.Microseconds => apiVersion == InfluxDbApiVersion.V1 ? "u" : "us",
        TimestampPrecision.Milliseconds => "ms",
        TimestampPrecision.Seconds => "s",
        _ => "ns",
    };

    private static bool IsWritable(MetricPoint point)
    {
        if (point is null || string.IsNullOrEmpty(point.Measurement) || point.Fields.Count == 0)
        {
            return false;
        }

        // Indexed loops: foreach over an IReadOnlyList boxes an enumerator per point.
        var fields = point.Fields;
        for (var i = 0; i < fields.Count; i++)
        {
            var field = fields[i];
            if (string.IsNullOrEmpty(field.Key) || (field.Value.Kind == Ingest.Model.FieldKind.Float && !double.IsFinite(field.Value.AsDouble)))
            {
                return false;
            }
        }

        var tags = point.Tags;
        for (var i = 0; i < tags.Count; i++)
        {
            if (string.IsNullOrEmpty(tags[i].Key))
            {
                return false;
            }
        }

        return true;
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        using var timeout = new CancellationTokenSource(_options.Timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timeout.Token);
        try
        {
            // Buffer the (small) response so it stays readable after the timeout source is disposed.
            return await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (!ct.IsCancellationRequested)
        {
            throw new RetryableWriteException($"InfluxDB at {BaseUrl(_options)} did not answer within {_options.Timeout}.", ex);
        }
        catch (HttpRequestException ex)
        {
            throw new RetryableWriteException($"InfluxDB at {BaseUrl(_options)} is unreachable: {ex.Message}", ex);
        }
    }

    private static async Task<string> ReadErrorAsync(HttpResponseMessage response, CancellationToken ct)
    {
        try
        {
            var body = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
            var message = InfluxDbResponses.ExtractError(body);
            if (message.Length == 0 && response.Headers.TryGetValues("X-Influxdb-Error", out var values))
            {
                message = InfluxDbResponses.ExtractError(string.Join(' ', values));
            }

            return message;
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException)
        {
            return string.Empty;
        }
    }

    private static string BaseUrl(InfluxDbOptions options) => options.Url.TrimEnd('/');

    private static Uri BuildWriteUri(InfluxDbOptions options, string? policy)
    {
        var precision = PrecisionParameter(options.Precision, options.EffectiveApiVersion);
        var builder = new StringBuilder(BaseUrl(options));
        if (options.EffectiveApiVersion == InfluxDbApiVersion.V1)
        {
            builder.Append("/write?db=").Append(Uri.EscapeDataString(options.Database!));
            var rp = policy ?? options.RetentionPolicy;
            if (!string.IsNullOrEmpty(rp))
            {
                builder.Append("&rp=").Append(Uri.EscapeDataString(rp));
            }
        }
        else
        {
            // Validate guarantees a bucket for every routed policy.
            var bucket = policy is null ? options.Bucket! : options.RetentionPolicyBuckets[policy];
            builder.Append("/api/v2/write?org=").Append(Uri.EscapeDataString(options.Org!))
                .Append("&bucket=").Append(Uri.EscapeDataString(bucket));
        }

        builder.Append("&precision=").Append(precision);
        return new Uri(builder.ToString());
    }

    private static AuthenticationHeaderValue? BuildAuthorization(InfluxDbOptions options)
    {
        if (options.EffectiveApiVersion == InfluxDbApiVersion.V2)
        {
            return new AuthenticationHeaderValue("Token", options.Token);
        }

        if (options.Username is null)
        {
            return null;
        }

        var credentials = Convert.ToBase64String(Encoding.UTF8.GetBytes(options.Username + ":" + options.Password));
        return new AuthenticationHeaderValue("Basic", credentials);
    }

    private static string QuoteIdentifier(string name) => "\"" + name.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
