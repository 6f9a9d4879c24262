using System.Diagnostics;
using System.Net.Http.Headers;
using MetricsPipeline.Ingest.Model;

namespace MetricsPipeline.Scraper;

/// <summary>
/// Scrapes one target once: negotiates OpenMetrics or the text format (as Prometheus does), enforces the timeout and
/// body limit, parses and maps to points, adding a <c>prometheus_scrape</c> point (<c>up</c>, <c>duration_seconds</c>,
/// <c>samples</c>, <c>errors</c>) like Prometheus's synthetic <c>up</c> series. Never throws for a failing target.
/// Thread-safe when the <see cref="HttpClient"/> is.
/// </summary>
/// <param name="client">The HTTP client (owned by the caller).</param>
/// <param name="options">The scraper's settings.</param>
/// <param name="timeProvider">The clock for the scrape time; the default is the system clock.</param>
public sealed class PrometheusScraper(HttpClient client, PrometheusScrapeOptions options, TimeProvider? timeProvider = null)
{
    /// <summary>The <c>Accept</c> header Prometheus 2.x sends: OpenMetrics preferred, text 0.0.4 accepted.</summary>
    public const string Accept = "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";

    private readonly TimeProvider clock = timeProvider ?? TimeProvider.System;

    /// <summary>Scrapes <paramref name="target"/> once.</summary>
    public async Task<ScrapeResult> ScrapeAsync(Uri target, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        var started = Stopwatch.GetTimestamp();
        var scrapeTimeNs = (clock.GetUtcNow() - DateTimeOffset.UnixEpoch).Ticks * 100;
        var labels = TargetLabels(target);
        PrometheusExposition? exposition = null;
        string? error = null;
        List<MetricPoint> points = [];
        var skipped = 0;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Timeout);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, target);
            request.Headers.TryAddWithoutValidation("Accept", Accept);
            request.Headers.TryAddWithoutValidation("X-Prometheus-Scrape-Timeout-Seconds", options.Timeout.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                error = $"HTTP {(int)response.StatusCode}";
            }
            else if (response.Content.Headers.ContentLength > options.MaxBodyBytes)
            {
                error = $"body exceeds {options.MaxBodyBytes} bytes";
            }
            else
            {
                var text = await ReadLimitedAsync(response.Content, options.MaxBodyBytes, timeout.Token).ConfigureAwait(false);
                if (text is null)
                {
                    error = $"body exceeds {options.MaxBodyBytes} bytes";
                }
                else
                {
                    exposition = PrometheusTextParser.Parse(text, IsOpenMetrics(response.Content.Headers.ContentType));
                    (points, skipped) = PrometheusLineMapper.Map(exposition, labels, scrapeTimeNs);
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            error = $"timeout after {options.Timeout.TotalSeconds:0.###} s";
        }
        catch (HttpRequestException ex)
        {
            error = ex.Message;
        }

        var duration = Stopwatch.GetElapsedTime(started);
        var up = error is null;
        points.Add(new MetricPoint(
            "prometheus_scrape",
            labels,
            [
                new("up", FieldValue.FromDouble(up ? 1 : 0)),
                new("duration_seconds", FieldValue.FromDouble(duration.TotalSeconds)),
                new("samples", FieldValue.FromInt64(exposition?.SampleCount ?? 0)),
                new("errors", FieldValue.FromInt64(exposition?.Errors.Count ?? 0)),
            ],
            scrapeTimeNs));
        return new ScrapeResult(target, up, error, points, exposition, skipped, duration);
    }

    private List<KeyValuePair<string, string>> TargetLabels(Uri target)
    {
        var labels = options.Labels.ToList();
        if (options.AddInstanceLabel && !options.Labels.ContainsKey("instance"))
        {
            labels.Add(new("instance", target.Authority));
        }

        return labels;
    }

    private static bool IsOpenMetrics(MediaTypeHeaderValue? contentType) =>
        string.Equals(contentType?.MediaType, "application/openmetrics-text", StringComparison.OrdinalIgnoreCase);

    private static async Task<string?> ReadLimitedAsync(HttpContent content, int maxBytes, CancellationToken cancellationToken)
    {
        var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            using var memory = new MemoryStream();
            var buffer = new byte[81920];
            int read;
            while ((read = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                memory.Write(buffer, 0, read);
                if (memory.Length > maxBytes)
                {
                    return null;
                }
            }

            return System.Text.Encoding.UTF8.GetString(memory.GetBuffer(), 0, (int)memory.Length);
        }
    }
}
