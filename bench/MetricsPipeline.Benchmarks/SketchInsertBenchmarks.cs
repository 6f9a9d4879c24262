using BenchmarkDotNet.Attributes;
using HdrHistogram;
using MetricsPipeline.Analytics.Sketches;

namespace MetricsPipeline.Benchmarks;

/// <summary>
/// Insert cost per value: DDSketch.Add vs HdrHistogram.RecordValue (same latencies, scaled to integer microseconds)
/// vs exact sort-based percentiles over a window. Run:
/// <c>dotnet run -c Release --project bench/MetricsPipeline.Benchmarks -- --filter '*SketchInsert*' --job short</c>.
/// </summary>
/// <remarks>
/// <para>Measures what <c>metrics-pipeline bench sketch</c> measures, so the two can be compared: the same
/// 1,000,000 lognormal values (same generator, seed 42), the same scaling to microseconds for HdrHistogram, the same
/// loop (<c>foreach</c> over a span of one 10,000-value chunk, one call per value), and both shapes of that command:</para>
/// <list type="bullet">
/// <item><see cref="SketchShape.Stream"/>: every invocation takes the next chunk of the million values, wrapping
/// around (<c>insert_ns_median</c> / <c>hdr_insert_ns_median</c>). The values come from memory, as they do in the
/// pipeline.</item>
/// <item><see cref="SketchShape.Replay"/>: the first chunk on every invocation (<c>replayed_window_*</c>). The same
/// 10,000 values stay in cache, and so do the counts they touch; HdrHistogram, whose count array is larger, gains
/// most from that.</item>
/// </list>
/// </remarks>
[MemoryDiagnoser]
[MedianColumn]
public class SketchInsertBenchmarks
{
    private const int Values = 1_000_000;
    private const int Chunk = 10_000;
    private static readonly double[] Quantiles = [0.5, 0.9, 0.95, 0.99, 0.999];

    private double[] _millis = [];
    private long[] _micros = [];
    private DDSketch _sketch = new();
    private DDSketch _batchSketch = new();
    private LongHistogram _hdr = new(3_600_000_000L, 3);
    private ExactQuantiles _exact = new(Chunk);
    private int _sketchCursor;
    private int _batchCursor;
    private int _hdrCursor;
    private int _exactCursor;

    /// <summary>Which chunks the timed methods walk.</summary>
    public enum SketchShape
    {
        /// <summary>The next chunk of the million values on every invocation.</summary>
        Stream,

        /// <summary>The first chunk on every invocation.</summary>
        Replay,
    }

    /// <summary>The shape of the run (see the class remarks).</summary>
    [Params(SketchShape.Stream, SketchShape.Replay)]
    public SketchShape Shape { get; set; }

    /// <summary>
    /// Lognormal latencies (median 20 ms, σ = 1), and the same values in integer microseconds. The generator must stay
    /// the one of <c>SketchBench.Generate("lognormal")</c> in MetricsPipeline.Host (Box–Muller with 1 − u).
    /// </summary>
    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        _millis = new double[Values];
        _micros = new long[Values];
        for (int i = 0; i < Values; i++)
        {
            double u = 1.0 - random.NextDouble();
            double v = random.NextDouble();
            double normal = Math.Sqrt(-2.0 * Math.Log(u)) * Math.Cos(2.0 * Math.PI * v);
            _millis[i] = 20.0 * Math.Exp(normal);
            _micros[i] = (long)Math.Round(_millis[i] * 1000.0);
        }

        // Grow the stores once over all the data; steady-state windows reuse them.
        _sketch = new DDSketch();
        _sketch.Add(_millis);
        _sketch.Clear();
        _batchSketch = new DDSketch();
        _batchSketch.Add(_millis);
        _batchSketch.Clear();
        _hdr = new LongHistogram(3_600_000_000L, 3);
        _exact = new ExactQuantiles(Chunk);
        _sketchCursor = _batchCursor = _hdrCursor = _exactCursor = 0;
    }

    /// <summary>DDSketch.Add(double), one call per value.</summary>
    [Benchmark(OperationsPerInvoke = Chunk)]
    public void DDSketchAdd()
    {
        var sketch = _sketch;
        foreach (double v in _millis.AsSpan(NextChunk(ref _sketchCursor), Chunk))
        {
            sketch.Add(v);
        }
    }

    /// <summary>DDSketch.Add(ReadOnlySpan&lt;double&gt;) over the same chunk.</summary>
    [Benchmark(OperationsPerInvoke = Chunk)]
    public void DDSketchAddBatch() => _batchSketch.Add(_millis.AsSpan(NextChunk(ref _batchCursor), Chunk));

    /// <summary>HdrHistogram LongHistogram.RecordValue, 3 significant digits, one call per value.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = Chunk)]
    public void HdrRecordValue()
    {
        var hdr = _hdr;
        foreach (long v in _micros.AsSpan(NextChunk(ref _hdrCursor), Chunk))
        {
            hdr.RecordValue(v);
        }
    }

    /// <summary>Exact percentiles of one window: add every value, then one sort and five lookups.</summary>
    [Benchmark(OperationsPerInvoke = Chunk)]
    public double ExactWindow()
    {
        var exact = _exact;
        exact.Clear();
        foreach (double v in _millis.AsSpan(NextChunk(ref _exactCursor), Chunk))
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

    /// <summary>Offset of the chunk to time; each method keeps its own cursor so every method sees the same sequence.</summary>
    private int NextChunk(ref int cursor)
    {
        if (Shape == SketchShape.Replay)
        {
            return 0;
        }

        int offset = cursor;
        cursor = offset + Chunk >= Values ? 0 : offset + Chunk;
        return offset;
    }
}
