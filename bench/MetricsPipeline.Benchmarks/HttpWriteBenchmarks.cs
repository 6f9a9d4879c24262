using System.Globalization;
using System.Text;
using BenchmarkDotNet.Attributes;
using MetricsPipeline.HttpWrite;
using MetricsPipeline.Ingest.LineProtocol;
using MetricsPipeline.Ingest.Model;
using MetricsPipeline.Kafka;

namespace MetricsPipeline.Benchmarks;

/// <summary>
/// The HTTP write endpoint's per-request work without the socket: one 5 000-line Telegraf-like body (cpu/mem/net from
/// 500 hosts, second precision) parsed, validated (limits, UTF-8, series cardinality and field types) and handed off
/// line by line, rewritten with a nanosecond timestamp. <c>ParseBaseline</c> is what <c>bench http</c> reports as
/// its baseline (reader plus every field value); <c>ForwardToCountingTarget</c> is <see cref="LineForwarder"/> into a
/// target that only counts bytes; <c>ForwardToKafkaProducer</c> hands off into the real <see cref="KafkaLineProducer"/>
/// on the embedded broker (its batching and murmur2 partitioning; delivery runs on librdkafka's threads).
/// Results are per line (OperationsPerInvoke), so lines/s = 1e9 / Mean(ns).
/// Run: <c>dotnet run -c Release --project bench/MetricsPipeline.Benchmarks -- --filter '*HttpWrite*' --job short</c>.
/// </summary>
[MemoryDiagnoser]
public class HttpWriteBenchmarks
{
    private const int Lines = 5000;

    private byte[] _body = [];
    private LineForwarder _counting = null!;
    private LineForwarder _kafka = null!;
    private EmbeddedKafkaBroker? _broker;
    private KafkaLineProducer? _producer;

    /// <summary>Builds the body and the forwarders; starts the embedded broker for the Kafka variant.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _body = BuildBody(Lines);

        // The same settings as the endpoint's defaults, so the cardinality and field-type guard is on.
        var options = new HttpWriteOptions();
        _counting = new LineForwarder(new CountingTarget(), options, new HttpWriteStatistics());
        var check = _counting.Forward(_body, TimestampPrecision.Seconds, "bench");
        if (check.Accepted != Lines)
        {
            throw new InvalidOperationException($"The benchmark body was not fully accepted ({check.Accepted} of {Lines}).");
        }

        _broker = EmbeddedKafkaBroker.Start(new EmbeddedKafkaBrokerOptions { DefaultPartitions = 12 });
        _broker.CreateTopic("metrics");
        _producer = new KafkaLineProducer(new KafkaProducerOptions { BootstrapServers = _broker.BootstrapServers, Topic = "metrics" });
        _kafka = new LineForwarder(new KafkaLineTarget(_producer), options, new HttpWriteStatistics());
    }

    /// <summary>Stops the producer and the broker.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _producer?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _broker?.Dispose();
    }

    /// <summary>Reads every line and every field value (the baseline of <c>bench http</c>); returns a checksum.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = Lines)]
    public double ParseBaseline()
    {
        var reader = new LineProtocolReader(_body, TimestampPrecision.Seconds);
        var sum = 0.0;
        while (reader.MoveNext())
        {
            if (!reader.IsValid)
            {
                continue;
            }

            foreach (var field in reader.Current.Fields)
            {
                sum += field.TryGetNumber(out var value) ? value : 0;
            }
        }

        return sum;
    }

    /// <summary>Parse, validate, guard and rewrite every line into a target that counts bytes.</summary>
    [Benchmark(OperationsPerInvoke = Lines)]
    public int ForwardToCountingTarget() => _counting.Forward(_body, TimestampPrecision.Seconds, "bench").Accepted;

    /// <summary>The same, handing every line to the Kafka line producer on the embedded broker.</summary>
    [Benchmark(OperationsPerInvoke = Lines)]
    public int ForwardToKafkaProducer() => _kafka.Forward(_body, TimestampPrecision.Seconds, "bench").Accepted;

    private static byte[] BuildBody(int lines)
    {
        var random = new Random(42);
        var text = new StringBuilder(lines * 110);
        var t = 1_763_800_000L;
        for (var i = 0; i < lines; i++)
        {
            var host = random.Next(500);
            _ = (i % 3) switch
            {
                0 => text.Append(CultureInfo.InvariantCulture, $"cpu,host=host{host:D3},region=eu-west-1,cpu=cpu-total usage_user={random.NextDouble() * 100:F3},usage_system={random.NextDouble() * 20:F3},usage_idle={random.NextDouble() * 100:F3} {t}\n"),
                1 => text.Append(CultureInfo.InvariantCulture, $"mem,host=host{host:D3},region=eu-west-1 used={random.Next()}i,available={random.Next()}i,used_percent={random.NextDouble() * 100:F2} {t}\n"),
                _ => text.Append(CultureInfo.InvariantCulture, $"net,host=host{host:D3},region=eu-west-1,interface=eth0 bytes_recv={random.Next()}i,bytes_sent={random.Next()}i,err_in=0i {t}\n"),
            };
            t += i % 50 == 0 ? 1 : 0;
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }

    /// <summary>A hand-off target that only counts what it is given (the cheapest possible consumer).</summary>
    private sealed class CountingTarget : ILineTarget
    {
        private long _bytes;

        /// <inheritdoc />
        public void Append(ReadOnlySpan<byte> seriesKey, ReadOnlySpan<byte> line) => Interlocked.Add(ref _bytes, line.Length + seriesKey.Length);
    }
}
