using System.Diagnostics;
using System.Net;
using MetricsPipeline.HttpWrite;
using MetricsPipeline.Ingest.LineProtocol;
using MetricsPipeline.Ingest.Model;
using MetricsPipeline.Kafka;

namespace MetricsPipeline.Host.Bench;

/// <summary>
/// Measures the write endpoint on loopback: first the raw parse rate of the same bodies (the baseline: what one
/// core can validate), then N connections posting bodies of <see cref="HttpBenchOptions.BatchLines"/> lines
/// against the endpoint feeding the Kafka producer on the embedded broker, recording every request's latency.
/// The load generator runs in the same process, so on this 2-core machine it competes with the server: the
/// HTTP rate is a lower bound.
/// </summary>
internal static class HttpWriteBenchmark
{
    /// <summary>Runs both phases and returns the numbers.</summary>
    public static async Task<HttpBenchResult> RunAsync(HttpBenchOptions options, CancellationToken cancellationToken)
    {
        var bodies = HttpBenchPayload.Build(16, options.BatchLines);
        var parseRate = MeasureParse(bodies, options.Duration);

        EmbeddedKafkaBroker? broker = null;
        KafkaLineProducer? producer = null;
        ILineTarget target = new DiscardingTarget();
        if (options.Kafka)
        {
            broker = EmbeddedKafkaBroker.Start(new EmbeddedKafkaBrokerOptions { DefaultPartitions = 12 });
            broker.CreateTopic("metrics");
            producer = new KafkaLineProducer(new KafkaProducerOptions { BootstrapServers = broker.BootstrapServers, Topic = "metrics" });
            target = new KafkaLineTarget(producer);
        }

        try
        {
            var writeOptions = new HttpWriteOptions { Listen = "127.0.0.1:0", MaxSeriesPerMeasurement = 0 };
            await using var server = await HttpWriteServer.StartAsync(writeOptions, target, cancellationToken: cancellationToken).ConfigureAwait(false);
            var payloads = options.Gzip ? bodies.Select(HttpBenchPayload.Gzip).ToArray() : bodies;
            var (latencies, throttled, elapsed, bytes) = await LoadAsync(server.Address, payloads, options, cancellationToken).ConfigureAwait(false);
            var accepted = server.Statistics.LinesAccepted;
            long sent = 0;
            if (producer is not null)
            {
                await producer.FlushAsync(cancellationToken).ConfigureAwait(false);
                sent = producer.LinesSent;
            }

            latencies.Sort();
            var httpRate = accepted / elapsed.TotalSeconds;
            return new HttpBenchResult(
                options.BatchLines,
                options.Connections,
                options.Kafka,
                options.Gzip,
                Math.Round(parseRate),
                Math.Round(httpRate),
                parseRate > 0 ? Math.Round(httpRate / parseRate, 4) : 0,
                Math.Round(bytes / elapsed.TotalSeconds / 1e6, 1),
                latencies.Count + throttled,
                throttled,
                accepted,
                sent,
                Math.Round(Percentile(latencies, 0.50), 2),
                Math.Round(Percentile(latencies, 0.99), 2),
                Math.Round(latencies.Count == 0 ? 0 : latencies[^1], 2),
                Math.Round(elapsed.TotalSeconds, 2),
                Environment.ProcessorCount);
        }
        finally
        {
            if (producer is not null)
            {
                await producer.DisposeAsync().ConfigureAwait(false);
            }

            broker?.Dispose();
        }
    }

    /// <summary>Lines per second <see cref="LineProtocolReader"/> validates on one thread, reading every field.</summary>
    private static double MeasureParse(byte[][] bodies, TimeSpan duration)
    {
        var stopwatch = Stopwatch.StartNew();
        long lines = 0;
        var i = 0;
        double sink = 0;
        while (stopwatch.Elapsed < duration)
        {
            var reader = new LineProtocolReader(bodies[i++ % bodies.Length], TimestampPrecision.Seconds);
            while (reader.MoveNext())
            {
                if (reader.IsValid)
                {
                    foreach (var field in reader.Current.Fields)
                    {
                        sink += field.TryGetNumber(out var v) ? v : 0;
                    }

                    lines++;
                }
            }
        }

        GC.KeepAlive(sink);
        return lines / stopwatch.Elapsed.TotalSeconds;
    }

    private static async Task<(List<double> Latencies, long Throttled, TimeSpan Elapsed, long Bytes)> LoadAsync(
        Uri address, byte[][] payloads, HttpBenchOptions options, CancellationToken cancellationToken)
    {
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = options.Connections, PooledConnectionLifetime = Timeout.InfiniteTimeSpan };
        using var client = new HttpClient(handler) { BaseAddress = address, Timeout = TimeSpan.FromSeconds(60) };
        var latencies = new List<double>();
        long throttled = 0;
        long bytes = 0;
        var stopwatch = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, options.Connections).Select(w => Task.Run(async () =>
        {
            var mine = new List<double>();
            var n = w;
            while (stopwatch.Elapsed < options.Duration && !cancellationToken.IsCancellationRequested)
            {
                var payload = payloads[n++ % payloads.Length];
                using var content = new ByteArrayContent(payload);
                if (options.Gzip)
                {
                    content.Headers.ContentEncoding.Add("gzip");
                }

                var started = Stopwatch.GetTimestamp();
                using var response = await client.PostAsync(new Uri("write?db=bench&precision=s", UriKind.Relative), content, cancellationToken).ConfigureAwait(false);
                var ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                if (response.StatusCode == HttpStatusCode.TooManyRequests)
                {
                    Interlocked.Increment(ref throttled);
                    await Task.Delay(10, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                if (response.StatusCode != HttpStatusCode.NoContent)
                {
                    throw new InvalidOperationException($"The endpoint answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false)}");
                }

                Interlocked.Add(ref bytes, payload.Length);
                mine.Add(ms);
            }

            return mine;
        }, cancellationToken)).ToArray();
        foreach (var list in await Task.WhenAll(workers).ConfigureAwait(false))
        {
            latencies.AddRange(list);
        }

        return (latencies, throttled, stopwatch.Elapsed, bytes);
    }

    private static double Percentile(List<double> sorted, double q) =>
        sorted.Count == 0 ? 0 : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(q * sorted.Count) - 1)];

    private sealed class DiscardingTarget : ILineTarget
    {
        public void Append(ReadOnlySpan<byte> seriesKey, ReadOnlySpan<byte> line)
        {
        }
    }
}
