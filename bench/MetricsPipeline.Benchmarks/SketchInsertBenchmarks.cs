using BenchmarkDotNet.Attributes;
using HdrHistogram;
using MetricsPipeline.Analytics.Sketches;

namespace MetricsPipeline.Benchmarks;

/// <summary>
/// Insert cost per value: DDSketch.Add vs HdrHistogram.RecordValue (same latencies, scaled to integer microseconds)
/// vs exact sort-based percentiles over a window. Run:
/// <c>dotnet run -c Release --project bench/MetricsPipeline.Benchmarks -- --filter '*SketchInsert*' --job short</c>.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class SketchInsertBenchmarks
{
    private const int N = 10_000;
    private static readonly double[] Quantiles = [0.5, 0.9, 0.95, 0.99, 0.999];

    private double[] _millis = [];
    private long[] _micros = [];
    private DDSketch _sketch = new();
    private LongHistogram _hdr = new(3_600_000_000L, 3);
    private ExactQuantiles _exact = new(N);

    /// <summary>Lognormal latencies (median 20 ms, σ = 1), and the same values in integer microseconds.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        _millis = new double[N];
        _micros = new long[N];
        for (int i = 0; i < N; i++)
        {
            double normal = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
            _millis[i] = 20 * Math.Exp(normal);
            _micros[i] = (long)Math.Round(_millis[i] * 1000);
        }

        // Grow the stores once; steady-state windows reuse them.
        _sketch = new DDSketch();
        _sketch.Add(_millis);
        _hdr = new LongHistogram(3_600_000_000L, 3);
        _exact = new ExactQuantiles(N);
    }

    /// <summary>DDSketch.Add(double), one call per value.</summary>
    [Benchmark(OperationsPerInvoke = N)]
    public void DDSketchAdd()
    {
        var sketch = _sketch;
        foreach (double v in _millis)
        {
            sketch.Add(v);
        }
    }

    /// <summary>DDSketch.Add(ReadOnlySpan&lt;double&gt;) over the whole batch.</summary>
    [Benchmark(OperationsPerInvoke = N)]
    public void DDSketchAddBatch() => _sketch.Add(_millis);

    /// <summary>HdrHistogram LongHistogram.RecordValue, 3 significant digits.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = N)]
    public void HdrRecordValue()
    {
        var hdr = _hdr;
        foreach (long v in _micros)
        {
            hdr.RecordValue(v);
        }
    }

    /// <summary>Exact percentiles of one window: add every value, then one sort and five lookups.</summary>
    [Benchmark(OperationsPerInvoke = N)]
    public double ExactWindow()
    {
        var exact = _exact;
        exact.Clear();
        foreach (double v in _millis)
        {
            exact.Add(v);
        }

        double sum = 0;
        foreach (double q in Quantiles)
        {
            sum += exact.GetQuantile(q);
        }

        return sum;
    }
}
