using System.Buffers;
using System.CommandLine;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text.Json;
using HdrHistogram;
using MetricsPipeline.Analytics.Sketches;

namespace MetricsPipeline.Host.Bench;

/// <summary>
/// <c>metrics-pipeline bench sketch</c>: measures <see cref="DDSketch"/> insert speed against HdrHistogram's
/// <c>RecordValue</c> and exact sort-based percentiles, its accuracy on several distributions, and its size.
/// </summary>
/// <remarks>
/// Timing: one array of latency-like values (lognormal, median 20 ms, σ = 1, in milliseconds) is inserted into a
/// DDSketch as doubles, and the same values scaled to integer microseconds are recorded into an HdrHistogram
/// (3 significant digits, 1 h range). Repetitions are interleaved (sketch, hdr, exact, sketch, …) after a warm-up,
/// and medians are reported. The insert timing is the Stream shape of <c>SketchInsertBenchmarks</c> (BenchmarkDotNet): the
/// same data, generator and seed, the same loop, so the two tools measure the same thing; the <c>replayed_window_*</c>
/// keys are its Replay shape. Accuracy: reference quantile = the exact value of 0-based rank floor(q·(n−1)) of the
/// sorted data, the same rank convention <see cref="DDSketch.GetQuantile"/> uses.
/// </remarks>
internal static class SketchBench
{
    private static readonly double[] Quantiles = [0.5, 0.9, 0.95, 0.99, 0.999];

    /// <summary>Creates the <c>sketch</c> subcommand.</summary>
    public static Command CreateCommand()
    {
        var output = new Option<string?>("--output") { Description = "Path of the JSON results file (stdout when omitted)." };
        var values = new Option<int>("--values") { Description = "Values per distribution.", DefaultValueFactory = _ => 1_000_000 };
        var window = new Option<int>("--window") { Description = "Values per window for the exact-percentile and memory measurements.", DefaultValueFactory = _ => 10_000 };
        var repetitions = new Option<int>("--repetitions") { Description = "Timed repetitions per method (interleaved).", DefaultValueFactory = _ => 21 };
        var seed = new Option<int>("--seed") { Description = "Random seed for the generated data.", DefaultValueFactory = _ => 42 };
        var command = new Command("sketch", "Benchmark the DDSketch quantile sketch against HdrHistogram and exact percentiles.");
        command.Options.Add(output);
        command.Options.Add(values);
        command.Options.Add(window);
        command.Options.Add(repetitions);
        command.Options.Add(seed);
        command.SetAction(parseResult =>
        {
            int n = parseResult.GetValue(values);
            int w = parseResult.GetValue(window);
            int reps = parseResult.GetValue(repetitions);
            if (n < 1000 || w < 10 || w > n || reps < 1)
            {
                Console.Error.WriteLine("Need --values ≥ 1000, 10 ≤ --window ≤ --values and --repetitions ≥ 1.");
                return 2;
            }

            if (!BenchOutput.CanWrite(parseResult.GetValue(output)))
            {
                return 2;
            }

            byte[] json = Run(n, w, reps, parseResult.GetValue(seed));
            BenchOutput.Write(json, parseResult.GetValue(output));

            return 0;
        });
        return command;
    }

    private static byte[] Run(int n, int window, int repetitions, int seed)
    {
        var random = new Random(seed);
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            WriteMachine(json, n, window, repetitions, seed);

            double[] latencies = Generate("lognormal", n, random);
            WriteTiming(json, latencies, window, repetitions);
            WriteMemory(json, latencies, window);

            json.WriteStartObject("accuracy");
            json.WriteString("reference", "exact value at 0-based rank floor(q*(n-1)) of the sorted data; the sketch uses the same rank");
            json.WriteString("relative_error", "|estimate - reference| / |reference| (0 when both are 0)");
            double worst = 0;
            foreach (string name in new[] { "lognormal", "pareto_1_5", "uniform", "bimodal", "constant", "normal_mixed_sign" })
            {
                double[] data = name == "lognormal" ? latencies : Generate(name, n, random);
                worst = Math.Max(worst, WriteAccuracy(json, name, data));
            }

            json.WriteEndObject();
            json.WriteNumber("max_relative_error", worst);
            json.WriteNumber("relative_accuracy_target", 0.01);
            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteMachine(Utf8JsonWriter json, int n, int window, int repetitions, int seed)
    {
        json.WriteStartObject("machine");
        json.WriteString("runtime", RuntimeInformation.FrameworkDescription);
        json.WriteString("os", RuntimeInformation.OSDescription);
        json.WriteString("architecture", RuntimeInformation.ProcessArchitecture.ToString());
        json.WriteNumber("processor_count", Environment.ProcessorCount);
#if DEBUG
        json.WriteString("configuration", "Debug");
#else
        json.WriteString("configuration", "Release");
#endif
        json.WriteString("started_utc", DateTime.UtcNow.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        json.WriteEndObject();
        json.WriteNumber("values_per_distribution", n);
        json.WriteNumber("window", window);
        json.WriteNumber("repetitions", repetitions);
        json.WriteNumber("seed", seed);
    }

    private static void WriteTiming(Utf8JsonWriter json, double[] latenciesMs, int window, int repetitions)
    {
        long[] micros = new long[latenciesMs.Length];
        for (int i = 0; i < micros.Length; i++)
        {
            micros[i] = (long)Math.Round(latenciesMs[i] * 1000.0);
        }

        var sketch = new DDSketch();
        var batchSketch = new DDSketch();
        var hdr = new LongHistogram(3_600_000_000L, 3);
        var exact = new ExactQuantiles(window);
        var windowSketch = new DDSketch();
        var replaySketch = new DDSketch();
        var replayHdr = new LongHistogram(3_600_000_000L, 3);
        var times = new Timings();
        double sink = 0;

        // Warm up until the JIT has promoted every loop and callee to optimised code.
        var warmup = Stopwatch.StartNew();
        while (warmup.ElapsedMilliseconds < 1500)
        {
            sink += TimeRepetition(latenciesMs, micros, window, sketch, batchSketch, hdr, exact, windowSketch, replaySketch, replayHdr, new Timings());
        }

        for (int r = 0; r < repetitions; r++)
        {
            sink += TimeRepetition(latenciesMs, micros, window, sketch, batchSketch, hdr, exact, windowSketch, replaySketch, replayHdr, times);
        }

        double sketchMedian = BenchStatistics.Median(times.Sketch);
        double hdrMedian = BenchStatistics.Median(times.Hdr);
        double batchMedian = BenchStatistics.Median(times.Batch);
        double exactMedian = BenchStatistics.Median(times.Exact);
        double sketchWindowMedian = BenchStatistics.Median(times.SketchWindow);
        var pairedRatios = times.Sketch.Zip(times.Hdr, (a, b) => a / b).ToList();
        json.WriteStartObject("timing_method");
        json.WriteString("data", $"{latenciesMs.Length} lognormal latencies, median 20 ms, sigma 1 (same array for every method)");
        json.WriteString("sketch", "DDSketch.Add(double) on the values in milliseconds (alpha 0.01, 2048 buckets)");
        json.WriteString("hdr", "LongHistogram(highestTrackableValue 3.6e9, 3 significant digits).RecordValue(long) on the same values scaled to integer microseconds (Math.Round(ms*1000))");
        json.WriteString("sketch_batch", "DDSketch.Add(ReadOnlySpan<double>) on the same chunk: same buckets, statistics kept in registers");
        json.WriteString("exact", $"per window of {window}: ExactQuantiles.Clear, Add each value, GetQuantile at p50/p90/p95/p99/p99.9 (one sort)");
        json.WriteString("sketch_window", $"per window of {window}: DDSketch.Clear, Add each value, GetQuantile at the same five quantiles");
        json.WriteString("order", $"after a 1.5 s warm-up, each repetition walks the array in chunks of {window} values and times every method on each chunk in turn (sketch, hdr, sketch_batch, exact, sketch_window); sketch and hdr are cleared at the start of each repetition, outside the timed code. Short interleaved chunks keep preemption by other processes out of most samples on a shared machine. Reported: medians over all chunks of all repetitions.");
        json.WriteString("replayed_window", $"after the chunks of each repetition, sketch and hdr (own instances) alternate on the first {window} values as many times, nothing else in between: the chunk and the counts it touches stay in cache, as in SketchInsertBenchmarks' Replay shape; HdrHistogram, whose count array is larger, gains most from this");
        json.WriteNumber("samples_per_method", times.Sketch.Count);
        json.WriteEndObject();
        json.WriteNumber("insert_ns_median", sketchMedian);
        json.WriteNumber("hdr_insert_ns_median", hdrMedian);
        json.WriteNumber("insert_ratio_sketch_over_hdr", sketchMedian / hdrMedian);
        json.WriteNumber("insert_ratio_paired_median", BenchStatistics.Median(pairedRatios));
        json.WriteNumber("insert_batch_ns_median", batchMedian);
        json.WriteNumber("insert_batch_ratio_over_hdr", batchMedian / hdrMedian);
        json.WriteNumber("exact_ns_per_value_median", exactMedian);
        json.WriteNumber("sketch_window_ns_per_value_median", sketchWindowMedian);
        json.WriteNumber("exact_over_sketch_insert", exactMedian / sketchMedian);
        json.WriteNumber("exact_over_sketch_window", exactMedian / sketchWindowMedian);
        json.WriteNumber("insert_ns_p10", Percentile(times.Sketch, 0.1));
        json.WriteNumber("hdr_insert_ns_p10", Percentile(times.Hdr, 0.1));
        json.WriteNumber("insert_ns_p90", Percentile(times.Sketch, 0.9));
        json.WriteNumber("hdr_insert_ns_p90", Percentile(times.Hdr, 0.9));
        json.WriteNumber("replayed_window_insert_ns_median", BenchStatistics.Median(times.SketchReplay));
        json.WriteNumber("replayed_window_hdr_insert_ns_median", BenchStatistics.Median(times.HdrReplay));
        json.WriteNumber("replayed_window_ratio_sketch_over_hdr", BenchStatistics.Median(times.SketchReplay) / BenchStatistics.Median(times.HdrReplay));
        json.WriteNumber("hdr_max_relative_error_lognormal", HdrWorstError(micros, latenciesMs));
        json.WriteNumber("checksum", sink);
    }

    private static double TimeRepetition(
        double[] millis, long[] micros, int window, DDSketch sketch, DDSketch batchSketch, LongHistogram hdr, ExactQuantiles exact, DDSketch windowSketch,
        DDSketch replaySketch, LongHistogram replayHdr, Timings times)
    {
        double sink = 0;
        sketch.Clear();
        batchSketch.Clear();
        hdr.Reset();
        for (int start = 0; start + window <= millis.Length; start += window)
        {
            times.Sketch.Add(TimeSketch(sketch, millis, start, window));
            times.Hdr.Add(TimeHdr(hdr, micros, start, window));
            times.Batch.Add(TimeBatch(batchSketch, millis, start, window));
            times.Exact.Add(TimeWindow(exact, millis, start, window, ref sink));
            times.SketchWindow.Add(TimeWindow(windowSketch, millis, start, window, ref sink));
        }

        // The first window again and again, as SketchInsertBenchmarks' Replay shape does: only these two alternate here,
        // so the chunk and the counts it touches stay in cache for both, as they do in a BenchmarkDotNet run of one method.
        for (int start = 0; start + window <= millis.Length; start += window)
        {
            times.SketchReplay.Add(TimeSketch(replaySketch, millis, 0, window));
            times.HdrReplay.Add(TimeHdr(replayHdr, micros, 0, window));
        }

        return sink;
    }

    private static void WriteMemory(Utf8JsonWriter json, double[] latenciesMs, int window)
    {
        int windows = latenciesMs.Length / window;
        var serialized = new List<double>();
        var bucketBytes = new List<double>();
        var writer = new ArrayBufferWriter<byte>();
        for (int w = 0; w < windows; w++)
        {
            var sketch = new DDSketch();
            foreach (double v in latenciesMs.AsSpan(w * window, window))
            {
                sketch.Add(v);
            }

            writer.ResetWrittenCount();
            sketch.WriteTo(writer);
            serialized.Add(writer.WrittenCount);
            bucketBytes.Add(sketch.BucketArrayBytes);
        }

        // Heap per live series: keep many filled sketches alive and divide the growth of the managed heap.
        const int live = 1000;
        var keep = new DDSketch[live];
        long before = GC.GetTotalMemory(forceFullCollection: true);
        for (int i = 0; i < live; i++)
        {
            var s = new DDSketch();
            foreach (double v in latenciesMs.AsSpan((i % windows) * window, window))
            {
                s.Add(v);
            }

            keep[i] = s;
        }

        long after = GC.GetTotalMemory(forceFullCollection: true);
        GC.KeepAlive(keep);

        var hdr = new LongHistogram(3_600_000_000L, 3);
        json.WriteStartObject("memory_method");
        json.WriteString("data", $"windows of {window} values of the lognormal latency data");
        json.WriteString("bytes_per_sketch", "median WriteTo size (compact binary form, what a checkpoint stores)");
        json.WriteString("heap_bytes_per_sketch", $"(GC.GetTotalMemory after - before) / {live} live sketches, each filled with one window");
        json.WriteEndObject();
        json.WriteNumber("bytes_per_sketch", BenchStatistics.Median(serialized));
        json.WriteNumber("bytes_per_sketch_max", serialized.Max());
        json.WriteNumber("heap_bytes_per_sketch", (double)(after - before) / live);
        json.WriteNumber("bucket_array_bytes_median", BenchStatistics.Median(bucketBytes));
        json.WriteNumber("hdr_estimated_footprint_bytes", hdr.GetEstimatedFootprintInBytes());
    }

    private static double WriteAccuracy(Utf8JsonWriter json, string name, double[] data)
    {
        var sketch = new DDSketch();
        foreach (double v in data)
        {
            sketch.Add(v);
        }

        // Merge check: ten sketches of consecutive slices, merged, must equal the sketch of everything.
        var merged = new DDSketch();
        int slice = data.Length / 10;
        for (int part = 0; part < 10; part++)
        {
            var piece = new DDSketch();
            int end = part == 9 ? data.Length : (part + 1) * slice;
            foreach (double v in data.AsSpan(part * slice, end - (part * slice)))
            {
                piece.Add(v);
            }

            merged.Merge(piece);
        }

        var writer = new ArrayBufferWriter<byte>();
        sketch.WriteTo(writer);
        var restored = DDSketch.ReadFrom(writer.WrittenSpan);

        double[] sorted = (double[])data.Clone();
        Array.Sort(sorted);
        double worst = 0;
        json.WriteStartObject(name);
        foreach (double q in Quantiles)
        {
            double truth = sorted[(long)Math.Floor(q * (sorted.Length - 1))];
            double error = RelativeError(sketch.GetQuantile(q), truth);
            worst = Math.Max(worst, error);
            json.WriteNumber($"p{q * 100:0.###}".Replace('.', '_'), error);
        }

        json.WriteNumber("worst", worst);
        json.WriteBoolean("merge_of_10_slices_has_same_buckets", merged.HasSameBuckets(sketch));
        json.WriteBoolean("round_trip_has_same_buckets", restored.HasSameBuckets(sketch));
        json.WriteNumber("serialized_bytes", writer.WrittenCount);
        json.WriteEndObject();
        return worst;
    }

    private static double RelativeError(double estimate, double truth) =>
        truth == 0 ? (estimate == 0 ? 0 : double.PositiveInfinity) : Math.Abs(estimate - truth) / Math.Abs(truth);

    private static double HdrWorstError(long[] micros, double[] latenciesMs)
    {
        var hdr = new LongHistogram(3_600_000_000L, 3);
        foreach (long v in micros)
        {
            hdr.RecordValue(v);
        }

        double[] sorted = (double[])latenciesMs.Clone();
        Array.Sort(sorted);
        double worst = 0;
        foreach (double q in Quantiles)
        {
            double truth = sorted[(long)Math.Floor(q * (sorted.Length - 1))];
            worst = Math.Max(worst, RelativeError(hdr.GetValueAtPercentile(q * 100) / 1000.0, truth));
        }

        return worst;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static double TimeSketch(DDSketch sketch, double[] values, int offset, int count)
    {
        long start = Stopwatch.GetTimestamp();
        foreach (double v in values.AsSpan(offset, count))
        {
            sketch.Add(v);
        }

        return NsPerValue(start, count);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static double TimeBatch(DDSketch sketch, double[] values, int offset, int count)
    {
        long start = Stopwatch.GetTimestamp();
        sketch.Add(values.AsSpan(offset, count));
        return NsPerValue(start, count);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static double TimeHdr(LongHistogram hdr, long[] values, int offset, int count)
    {
        long start = Stopwatch.GetTimestamp();
        foreach (long v in values.AsSpan(offset, count))
        {
            hdr.RecordValue(v);
        }

        return NsPerValue(start, count);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static double TimeWindow(IQuantileSketch sketch, double[] values, int offset, int count, ref double sink)
    {
        long start = Stopwatch.GetTimestamp();
        sketch.Clear();
        foreach (double v in values.AsSpan(offset, count))
        {
            sketch.Add(v);
        }

        foreach (double q in Quantiles)
        {
            sink += sketch.GetQuantile(q);
        }

        return NsPerValue(start, count);
    }

    private static double NsPerValue(long start, int count) =>
        Stopwatch.GetElapsedTime(start).TotalNanoseconds / count;

    private static double Percentile(List<double> samples, double q)
    {
        var sorted = samples.Order().ToArray();
        return sorted[(int)Math.Floor(q * (sorted.Length - 1))];
    }

    /// <summary>Per-chunk timings in ns per value, one list per method.</summary>
    private sealed class Timings
    {
        public List<double> Sketch { get; } = [];

        public List<double> Hdr { get; } = [];

        public List<double> Batch { get; } = [];

        public List<double> Exact { get; } = [];

        public List<double> SketchWindow { get; } = [];

        public List<double> SketchReplay { get; } = [];

        public List<double> HdrReplay { get; } = [];
    }

    private static double[] Generate(string name, int n, Random random)
    {
        var data = new double[n];
        for (int i = 0; i < n; i++)
        {
            data[i] = name switch
            {
                "lognormal" => 20.0 * Math.Exp(Normal(random)),
                "pareto_1_5" => 1.0 / Math.Pow(1.0 - random.NextDouble(), 1.0 / 1.5),
                "uniform" => random.NextDouble() * 1000.0,
                "bimodal" => random.NextDouble() < 0.5 ? 10.0 + Normal(random) : 100.0 + (5.0 * Normal(random)),
                "constant" => 42.5,
                "normal_mixed_sign" => 100.0 * Normal(random),
                _ => throw new ArgumentOutOfRangeException(nameof(name), name, "Unknown distribution."),
            };
        }

        return data;
    }

    private static double Normal(Random random)
    {
        // Box–Muller; 1 − u keeps the logarithm's argument in (0, 1].
        double u = 1.0 - random.NextDouble();
        double v = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u)) * Math.Cos(2.0 * Math.PI * v);
    }
}
