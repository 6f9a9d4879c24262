using System.Buffers;
using System.Text;
using BenchmarkDotNet.Attributes;
using MetricsPipeline.Ingest.LineProtocol;
using MetricsPipeline.Ingest.Model;

namespace MetricsPipeline.Benchmarks;

/// <summary>
/// Line-protocol throughput on one core: reading a Telegraf-like batch (≈110-byte lines, 3 tags, 3 float fields,
/// ns timestamps) and enumerating every tag and field value, and writing the same points. Results are per line
/// (OperationsPerInvoke), so lines/s = 1e9 / Mean(ns).
/// Run: <c>dotnet run -c Release --project bench/MetricsPipeline.Benchmarks -- --filter '*LineProtocol*' --job short</c>.
/// </summary>
[MemoryDiagnoser]
public class LineProtocolBenchmarks
{
    private const int Lines = 1000;

    private byte[] _payload = [];
    private MetricPoint[] _points = [];
    private readonly ArrayBufferWriter<byte> _output = new(256 * Lines);

    /// <summary>Builds the batch once.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var text = new StringBuilder();
        for (var i = 0; i < Lines; i++)
        {
            text.Append($"cpu,host=server-{i % 1000:000},region=eu-west-1,cpu=cpu-total usage_user={12 + (i % 50)}.5,usage_system=3.25,usage_idle={84 - (i % 50)}.25 {1700000000000000000L + (i * 10_000_000_000L)}\n");
        }

        _payload = Encoding.UTF8.GetBytes(text.ToString());
        _points = LineProtocolParser.Parse(_payload).Points.ToArray();
        if (_points.Length != Lines)
        {
            throw new InvalidOperationException("The benchmark batch did not parse.");
        }
    }

    /// <summary>Reads and validates every line without enumerating tags or fields (the cost of MoveNext alone).</summary>
    [Benchmark(OperationsPerInvoke = Lines)]
    public int ValidateOnly()
    {
        var reader = new LineProtocolReader(_payload);
        var valid = 0;
        while (reader.MoveNext())
        {
            valid += reader.IsValid ? 1 : 0;
        }

        return valid;
    }

    /// <summary>Reads every line and every tag and field value; returns a checksum so nothing is optimised away.</summary>
    [Benchmark(OperationsPerInvoke = Lines)]
    public double ReadAndEnumerate()
    {
        var reader = new LineProtocolReader(_payload);
        var sum = 0.0;
        while (reader.MoveNext())
        {
            if (!reader.IsValid)
            {
                continue;
            }

            var line = reader.Current;
            sum += line.TimestampNs + line.SeriesKey.Length;
            foreach (var tag in line.Tags)
            {
                sum += tag.ValueRaw.Length;
            }

            foreach (var field in line.Fields)
            {
                field.TryGetNumber(out var value);
                sum += value;
            }
        }

        return sum;
    }

    /// <summary>Writes the same points with <see cref="LineProtocolWriter.Write"/> into a reused buffer.</summary>
    [Benchmark(OperationsPerInvoke = Lines)]
    public int Write()
    {
        _output.ResetWrittenCount();
        foreach (var point in _points)
        {
            LineProtocolWriter.Write(point, _output);
        }

        return _output.WrittenCount;
    }
}
