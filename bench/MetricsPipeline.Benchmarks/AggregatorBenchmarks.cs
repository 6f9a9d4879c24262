using System.Text;
using BenchmarkDotNet.Attributes;
using MetricsPipeline.Analytics.Pipeline;
using MetricsPipeline.Analytics.Telemetry;
using MetricsPipeline.Analytics.Windows;
using MetricsPipeline.Ingest.Model;

namespace MetricsPipeline.Benchmarks;

/// <summary>
/// The window stage's hot loop on warm windows: one operation = one batch of <see cref="Points"/> values (one per
/// series) fed pre-parsed (<see cref="WindowAggregator.ProcessPoints"/>) or as line protocol
/// (<see cref="WindowAggregator.Process"/>). Timestamps stay inside one 10 s window so that every operation is the
/// steady state (no window closes); MemoryDiagnoser must show 0 B allocated. Run:
/// <c>dotnet run -c Release --project bench/MetricsPipeline.Benchmarks -- --filter '*AggregatorBenchmarks*' --job short</c>.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class AggregatorBenchmarks
{
    /// <summary>Values per operation (and series).</summary>
    public const int Points = 10_000;

    private const long T0 = 1_700_000_000L * 1_000_000_000L;

    private readonly List<DeadLetter> _letters = [];
    private WindowAggregator _direct = null!;
    private WindowAggregator _parsed = null!;
    private AggregationPoint[] _batch = [];
    private byte[] _payload = [];
    private long _offset;

    /// <summary>Registers the series, builds one batch of each kind and warms the windows and sketches.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var options = new WindowOptions { Sizes = [TimeSpan.FromSeconds(10)] };
        _direct = new WindowAggregator(options, new PipelineCounters());
        _parsed = new WindowAggregator(options, new PipelineCounters());
        var random = new Random(42);
        _batch = new AggregationPoint[Points];
        var sb = new StringBuilder();
        for (var i = 0; i < Points; i++)
        {
            var id = _direct.RegisterSeries("lat", [new("host", $"h{i:D6}")]);
            var value = Math.Round(20 * Math.Exp(random.NextDouble() * 3), 3);
            _batch[i] = new AggregationPoint(id, _direct.RegisterField(id, "ms"), T0 + i, value);
            sb.Append(System.FormattableString.Invariant($"lat,host=h{i:D6} ms={value} {T0 + i}\n"));
        }

        _payload = Encoding.UTF8.GetBytes(sb.ToString());
        Direct();
        Parsed();
    }

    /// <summary>Pre-parsed values into warm windows.</summary>
    [Benchmark(OperationsPerInvoke = Points)]
    public void Direct() => _direct.ProcessPoints(_batch);

    /// <summary>Line protocol parsed and aggregated into warm windows.</summary>
    [Benchmark(OperationsPerInvoke = Points)]
    public void Parsed()
    {
        _parsed.Process(new SourceMessage("bench", 0, _offset++, _payload), _letters);
    }
}
