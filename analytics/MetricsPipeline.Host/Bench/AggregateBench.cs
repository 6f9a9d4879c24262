using System.Buffers;
using System.Buffers.Text;
using System.CommandLine;
using System.Diagnostics;
using System.Runtime;
using System.Runtime.InteropServices;
using System.Text.Json;
using MetricsPipeline.Analytics.Pipeline;
using MetricsPipeline.Analytics.Telemetry;
using MetricsPipeline.Analytics.Windows;
using MetricsPipeline.Ingest.Model;

namespace MetricsPipeline.Host.Bench;

/// <summary>
/// <c>metrics-pipeline bench aggregate</c>: throughput, allocation and memory of the window stage on one thread.
/// </summary>
/// <remarks>
/// Workload: <c>--series</c> active series (<c>bench,host=hNNNNNN value=…</c>), each reporting one latency-like value
/// (lognormal, median 20 ms) per second of event time, 10 s tumbling windows, grace 2 s. One repetition feeds
/// <c>--rounds</c> seconds of event time (series × rounds points) in batches and advances the watermark after each
/// batch, so windows close during the timed run (closing is included in the time). "Parse excluded" feeds
/// pre-parsed <see cref="AggregationPoint"/> batches to <see cref="WindowAggregator.ProcessPoints"/>; "with parse"
/// feeds the same points as line-protocol messages to <see cref="WindowAggregator.Process"/>. The two are
/// interleaved after a warm-up, and medians are reported, because the machine is shared.
/// Allocation: <see cref="GC.GetAllocatedBytesForCurrentThread"/> around the ingest calls only (the per-point
/// cost), and separately around the closing calls (one result object per closed window, not per point).
/// Profile of the parse path (thread CPU, same messages): <c>validate_only_…</c> runs the reader alone (line
/// validation, timestamps), <c>parse_only_…</c> adds reading every field's number and the series key; the rest of
/// <c>points_per_thread_cpu_second_with_parse</c> is the series lookup and the aggregation.
/// </remarks>
internal static partial class AggregateBench
{
    private const long Second = 1_000_000_000L;
    private const long T0 = 1_700_000_000L * Second;
    private const int BatchPoints = 8192;

    /// <summary>The memory limit the memory-fit child emulates (--memory-limit-gb), in bytes; 0 for none.</summary>
    private static long MemoryLimitBytes { get; set; }

    /// <summary>--shuffle: each round's lines in a new random series order (the series lookup's next-id guess then misses).</summary>
    private static bool Shuffle { get; set; }

    /// <summary>Event time between two points of one series (1 s / --rate).</summary>
    private static long Step { get; set; } = Second;

    /// <summary>Creates the <c>aggregate</c> subcommand.</summary>
    public static Command CreateCommand()
    {
        var output = new Option<string?>("--output") { Description = "Path of the JSON results file (stdout when omitted)." };
        var series = new Option<int>("--series") { Description = "Active series.", DefaultValueFactory = _ => 100_000 };
        var rounds = new Option<int>("--rounds") { Description = "Seconds of event time (one point per series each) per repetition.", DefaultValueFactory = _ => 20 };
        var repetitions = new Option<int>("--repetitions") { Description = "Timed repetitions per mode (interleaved).", DefaultValueFactory = _ => 5 };
        var rate = new Option<int>("--rate") { Description = "Points per series per second of event time (1: quantiles of 10 values per window come from the exact small buffer; 10: 100 values per window go through DDSketch).", DefaultValueFactory = _ => 1 };
        var memorySeries = new Option<int>("--memory-series") { Description = "Series for the memory-fit check (0 skips it); it runs in a fresh child process so that the process peak is its own.", DefaultValueFactory = _ => 1_000_000 };
        var memoryLimit = new Option<double>("--memory-limit-gb") { Description = "Memory limit (GB, 10^9 bytes) the memory-fit child runs under, as in a container: .NET then caps its GC heap at 75% of it (DOTNET_GCHeapHardLimit), and the check is that the process peak stays within the limit. 0 runs it without a limit.", DefaultValueFactory = _ => 4.0 };
        var memoryOnly = new Option<bool>("--memory-only") { Description = "Run only the memory-fit check in this process and print its JSON (what the child process does).", Hidden = true };
        var command = new Command("aggregate", "Benchmark the window stage: points per second with and without parsing, bytes allocated per point, memory per series.");
        command.Options.Add(output);
        command.Options.Add(series);
        command.Options.Add(rounds);
        command.Options.Add(repetitions);
        command.Options.Add(memorySeries);
        command.Options.Add(rate);
        var shuffle = new Option<bool>("--shuffle") { Description = "Write each round's line-protocol lines in a new random series order instead of the same order every round (as agents do); measures the series lookup without its next-id guess." };
        command.Options.Add(shuffle);
        command.Options.Add(memoryOnly);
        command.Options.Add(memoryLimit);
        command.SetAction(parseResult =>
        {
            if (parseResult.GetValue(memoryOnly))
            {
                Console.Out.WriteLine(System.Text.Encoding.UTF8.GetString(MemoryFitJson(parseResult.GetValue(memorySeries))));
                return 0;
            }

            int s = parseResult.GetValue(series);
            int r = parseResult.GetValue(rounds);
            int reps = parseResult.GetValue(repetitions);
            if (s < 1 || r < 1 || reps < 1)
            {
                Console.Error.WriteLine("Need --series, --rounds and --repetitions ≥ 1.");
                return 2;
            }

            int perSecond = parseResult.GetValue(rate);
            if (perSecond < 1 || perSecond > 1000)
            {
                Console.Error.WriteLine("Need 1 ≤ --rate ≤ 1000.");
                return 2;
            }

            if (!BenchOutput.CanWrite(parseResult.GetValue(output)))
            {
                return 2;
            }

            Step = Second / perSecond;
            Shuffle = parseResult.GetValue(shuffle);
            MemoryLimitBytes = (long)(parseResult.GetValue(memoryLimit) * 1e9);
            byte[] json = Run(s, r, reps, parseResult.GetValue(memorySeries));
            BenchOutput.Write(json, parseResult.GetValue(output));

            return 0;
        });
        return command;
    }

    private static WindowOptions Options() => new() { Sizes = [TimeSpan.FromSeconds(10)], Grace = TimeSpan.FromSeconds(2) };

    private static byte[] Run(int seriesCount, int rounds, int repetitions, int memorySeries)
    {
        double[] values = Latencies(4096, new Random(42));
        long baseline = ManagedMemory();
        var direct = new WindowAggregator(Options(), new PipelineCounters());
        var ids = new int[seriesCount];
        var field = 0;
        for (int i = 0; i < seriesCount; i++)
        {
            ids[i] = direct.RegisterSeries("bench", [new("host", HostName(i))]);
            field = direct.RegisterField(ids[i], "value");
        }

        var parsed = new WindowAggregator(Options(), new PipelineCounters());
        var points = new AggregationPoint[BatchPoints];
        var directRun = new Measured();
        var parseRun = new Measured();
        long directTime = T0, parseTime = T0, offset = 0;

        // Warm-up: every series opens its windows and sketches grow to the data's range; two windows close.
        int warmRounds = (int)(20 * Second / Step);
        RunDirect(direct, ids, field, values, points, ref directTime, warmRounds, null);
        RunParsed(parsed, seriesCount, values, ref parseTime, ref offset, warmRounds, null);
        long afterWarmup = ManagedMemory();
        for (int rep = 0; rep < repetitions; rep++)
        {
            RunDirect(direct, ids, field, values, points, ref directTime, rounds, directRun);
            RunParsed(parsed, seriesCount, values, ref parseTime, ref offset, rounds, parseRun);
        }

        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("runtime", RuntimeInformation.FrameworkDescription);
            json.WriteNumber("processor_count", Environment.ProcessorCount);
            json.WriteString("load_average", File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "n/a");
            json.WriteString("note", "shared machine: repetitions interleaved (direct, parse, direct, …), medians reported; one thread");
            json.WriteNumber("series", seriesCount);
            json.WriteBoolean("shuffled_series_order", Shuffle);
            json.WriteNumber("window_seconds", 10);
            json.WriteNumber("points_per_series_per_second", Second / Step);
            json.WriteNumber("values_per_series_window", 10 * Second / Step);
            json.WriteNumber("points_per_repetition", (long)seriesCount * rounds);
            json.WriteNumber("repetitions", repetitions);
            json.WriteNumber("points_per_second", BenchStatistics.Median(directRun.PointsPerSecond));
            json.WriteNumber("points_per_second_with_parse", BenchStatistics.Median(parseRun.PointsPerSecond));
            json.WriteNumber("allocated_bytes_per_point", (double)directRun.IngestBytes / directRun.Points);
            json.WriteNumber("allocated_bytes_per_point_with_parse", (double)parseRun.IngestBytes / parseRun.Points);
            json.WriteNumber("allocated_bytes_per_closed_window", (double)directRun.CloseBytes / Math.Max(1, directRun.Windows));
            json.WriteNumber("points_per_thread_cpu_second", BenchStatistics.Median(directRun.PointsPerCpuSecond));
            json.WriteNumber("points_per_thread_cpu_second_with_parse", BenchStatistics.Median(parseRun.PointsPerCpuSecond));
            json.WriteNumber("points_per_second_ingest_only", BenchStatistics.Median(directRun.IngestOnly));
            json.WriteNumber("parse_only_points_per_thread_cpu_second", BenchStatistics.Median(parseRun.ParseOnly));
            json.WriteNumber("validate_only_points_per_thread_cpu_second", BenchStatistics.Median(parseRun.ValidateOnly));
            WriteArray(json, "points_per_second_repetitions", directRun.PointsPerSecond);
            WriteArray(json, "points_per_second_with_parse_repetitions", parseRun.PointsPerSecond);
            // Two aggregators of the same series are alive here (direct and parsed): halve the growth.
            json.WriteNumber("managed_bytes_per_active_series", (afterWarmup - baseline) / 2.0 / seriesCount);
            GC.KeepAlive(direct);
            GC.KeepAlive(parsed);
            direct = null!;
            parsed = null!;
            if (memorySeries > 0)
            {
                json.WritePropertyName("memory_fit");
                using var fit = JsonDocument.Parse(RunMemoryFitChild(memorySeries));
                fit.RootElement.WriteTo(json);
            }

            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void RunDirect(WindowAggregator agg, int[] ids, int field, double[] values, AggregationPoint[] batch, ref long time, int rounds, Measured? m)
    {
        long ingestTicks = 0, ingestBytes = 0, closeBytes = 0, windows = 0, n = 0;
        int filled = 0, v = 0;
        double cpu0 = ThreadCpu.Now();
        long start = Stopwatch.GetTimestamp();
        for (int round = 0; round < rounds; round++, time += Step)
        {
            for (int i = 0; i < ids.Length; i++)
            {
                batch[filled++] = new AggregationPoint(ids[i], field, time + i, values[v++ & 4095]);
                if (filled == batch.Length || (round == rounds - 1 && i == ids.Length - 1))
                {
                    long a0 = GC.GetAllocatedBytesForCurrentThread();
                    long t0 = Stopwatch.GetTimestamp();
                    agg.ProcessPoints(batch.AsSpan(0, filled));
                    ingestTicks += Stopwatch.GetTimestamp() - t0;
                    long a1 = GC.GetAllocatedBytesForCurrentThread();
                    windows += AdvanceAll(agg);
                    closeBytes += GC.GetAllocatedBytesForCurrentThread() - a1;
                    ingestBytes += a1 - a0;
                    n += filled;
                    filled = 0;
                }
            }
        }

        m?.Add(n, Stopwatch.GetTimestamp() - start, ingestBytes, closeBytes, windows, ThreadCpu.Now() - cpu0);
        m?.IngestOnly.Add(n / (ingestTicks / (double)Stopwatch.Frequency));
    }

    private static void RunParsed(WindowAggregator agg, int seriesCount, double[] values, ref long time, ref long offset, int rounds, Measured? m)
    {
        // Build the messages outside the timed region: ~500 lines per message, like a Telegraf flush.
        var messages = new List<byte[]>();
        var buffer = new ArrayBufferWriter<byte>(64 * 1024);
        int v = 0, lines = 0;
        long t = time;
        var order = Enumerable.Range(0, seriesCount).ToArray();
        var random = new Random((int)(time / Second));
        for (int round = 0; round < rounds; round++, t += Step)
        {
            if (Shuffle)
            {
                random.Shuffle(order);
            }

            for (int k = 0; k < seriesCount; k++)
            {
                int i = order[k];
                WriteLine(buffer, i, values[v++ & 4095], t + k);
                if (++lines == 500)
                {
                    messages.Add(buffer.WrittenSpan.ToArray());
                    buffer.ResetWrittenCount();
                    lines = 0;
                }
            }
        }

        if (buffer.WrittenCount > 0)
        {
            messages.Add(buffer.WrittenSpan.ToArray());
        }

        time = t;
        if (m is not null)
        {
            // The parser alone over the same messages (validation, field values, timestamps; no series lookup).
            double cpuP = ThreadCpu.Now();
            double sink = 0;
            foreach (var payload in messages)
            {
                var reader = new MetricsPipeline.Ingest.LineProtocol.LineProtocolReader(payload);
                while (reader.MoveNext())
                {
                    var line = reader.Current;
                    foreach (var f in line.Fields)
                    {
                        f.TryGetNumber(out var x);
                        sink += x;
                    }

                    sink += line.TimestampNs + line.SeriesKey.Length;
                }
            }

            m.ParseOnly.Add((long)seriesCount * rounds / (ThreadCpu.Now() - cpuP));
            cpuP = ThreadCpu.Now();
            foreach (var payload in messages)
            {
                var reader = new MetricsPipeline.Ingest.LineProtocol.LineProtocolReader(payload);
                while (reader.MoveNext())
                {
                    sink += reader.IsValid ? 1 : 0;
                }
            }

            m.ValidateOnly.Add((long)seriesCount * rounds / (ThreadCpu.Now() - cpuP));
            GC.KeepAlive(sink);
        }

        var letters = new List<DeadLetter>();
        long ingestBytes = 0, closeBytes = 0, windows = 0;
        double cpu0 = ThreadCpu.Now();
        long start = Stopwatch.GetTimestamp();
        foreach (var payload in messages)
        {
            long a0 = GC.GetAllocatedBytesForCurrentThread();
            agg.Process(new SourceMessage("bench", 0, offset++, payload), letters);
            long a1 = GC.GetAllocatedBytesForCurrentThread();
            windows += AdvanceAll(agg);
                    closeBytes += GC.GetAllocatedBytesForCurrentThread() - a1;
            ingestBytes += a1 - a0;
        }

        m?.Add((long)seriesCount * rounds, Stopwatch.GetTimestamp() - start, ingestBytes, closeBytes, windows, ThreadCpu.Now() - cpu0);
    }

    /// <summary>
    /// Runs <c>bench aggregate --memory-only</c> in a child process (same host, same runtime settings) and returns its
    /// JSON: the peak working set of a fresh process is then that of the million series alone, not of the throughput
    /// runs before it.
    /// </summary>
    private static string RunMemoryFitChild(int seriesCount)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (MemoryLimitBytes > 0)
        {
            // What the runtime does by itself in a container with this memory limit: a GC heap hard limit of 75% of it.
            start.Environment["DOTNET_GCHeapHardLimit"] = (MemoryLimitBytes * 3 / 4).ToString("X", System.Globalization.CultureInfo.InvariantCulture);
        }

        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet")
        {
            // Started as `dotnet metrics-pipeline.dll`: the child needs the entry assembly too.
            start.ArgumentList.Add(System.Reflection.Assembly.GetEntryAssembly()!.Location);
        }

        foreach (var arg in new[] { "bench", "aggregate", "--memory-only", "--memory-series", seriesCount.ToString(System.Globalization.CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(arg);
        }

        using var child = Process.Start(start) ?? throw new InvalidOperationException("Could not start the memory-fit child process.");
        try
        {
            var stdout = child.StandardOutput.ReadToEndAsync();
            var stderr = child.StandardError.ReadToEndAsync();
            if (!child.WaitForExit(TimeSpan.FromMinutes(30)))
            {
                throw new TimeoutException("The memory-fit child process did not finish within 30 minutes.");
            }

            child.WaitForExit();
            if (child.ExitCode != 0)
            {
                throw new InvalidOperationException($"The memory-fit child process failed with exit code {child.ExitCode}: {stderr.Result}");
            }

            return stdout.Result;
        }
        finally
        {
            if (!child.HasExited)
            {
                child.Kill(entireProcessTree: true);
            }
        }
    }

    private static byte[] MemoryFitJson(int seriesCount)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            WriteMemoryFit(json, seriesCount, Latencies(4096, new Random(42)));
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteMemoryFit(Utf8JsonWriter json, int seriesCount, double[] values)
    {
        GC.Collect();
        long before = ManagedMemory();
        var agg = new WindowAggregator(new WindowOptions { Grace = TimeSpan.FromSeconds(2) }, new PipelineCounters());
        var letters = new List<DeadLetter>();
        var buffer = new ArrayBufferWriter<byte>(64 * 1024);
        long offset = 0;
        int v = 0;
        // Default sizes (10 s and 1 min), one point per series every 10 s (Telegraf's default interval) for 2 min of
        // event time, via line protocol: every series has closed windows behind it and open ones in their grace.
        for (long t = T0; t < T0 + (120 * Second); t += 10 * Second)
        {
            for (int i = 0; i < seriesCount; i++)
            {
                WriteLine(buffer, i, values[v++ & 4095], t + i);
                if ((i + 1) % 500 == 0 || i == seriesCount - 1)
                {
                    agg.Process(new SourceMessage("bench", 0, offset++, buffer.WrittenMemory), letters);
                    buffer.ResetWrittenCount();
                }
            }

            AdvanceAll(agg);
        }

        // The pipeline's own peak, read before the forced full compacting collection below: compacting a 2 GB heap in
        // one blocking GC can itself need up to twice the live size, which a running pipeline never asks for.
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        long pipelinePeak = process.PeakWorkingSet64;
        long pipelineWorkingSet = process.WorkingSet64;
        var gcInfo = GC.GetGCMemoryInfo(GCKind.Any);
        long committedBeforeMeasurement = GC.GetGCMemoryInfo().TotalCommittedBytes;
        long managed = ManagedMemory();
        process.Refresh();
        json.WriteStartObject();
        json.WriteNumber("series", agg.SeriesCount);
        json.WriteString("process", "fresh child process (bench aggregate --memory-only); GC heap hard limit from --memory-limit-gb (75% of it, as the runtime sets in a container with that limit), else default GC settings");
        json.WriteNumber("gc_heap_hard_limit_bytes", GC.GetGCMemoryInfo().TotalAvailableMemoryBytes);
        json.WriteString("gc_heap_hard_limit_env", Environment.GetEnvironmentVariable("DOTNET_GCHeapHardLimit") ?? "none");
        json.WriteNumber("max_windows_per_batch", new WindowOptions().MaxWindowsPerBatch);
        json.WriteString("setup", "default windows (10 s and 1 min, grace 2 s), 1 point per series every 10 s for 2 min of event time, via line protocol");
        json.WriteNumber("managed_bytes_per_series", (managed - before) / (double)agg.SeriesCount);
        json.WriteNumber("managed_heap_bytes", managed);
        json.WriteNumber("process_working_set_bytes", pipelineWorkingSet);
        json.WriteNumber("process_peak_working_set_bytes", pipelinePeak);
        json.WriteBoolean("fits_in_4_gib", pipelinePeak <= 4L << 30);
        json.WriteBoolean("fits_in_4_gb", pipelinePeak <= 4_000_000_000L);
        json.WriteString("peak_note", "process_peak_working_set_bytes is read after the run and before the forced full compacting GC that measures managed_heap_bytes; the peak including that GC is reported separately");
        json.WriteNumber("process_peak_working_set_bytes_including_measurement_gc", process.PeakWorkingSet64);
        // Where the working set beyond the live heap goes: the last GC before the measurement, per generation.
        json.WriteStartObject("gc_before_measurement");
        json.WriteNumber("index", gcInfo.Index);
        json.WriteString("kind", gcInfo.Generation == 2 ? (gcInfo.Compacted ? "gen2 compacting" : "gen2 sweeping") : $"gen{gcInfo.Generation}");
        json.WriteNumber("heap_size_bytes", gcInfo.HeapSizeBytes);
        json.WriteNumber("fragmented_bytes", gcInfo.FragmentedBytes);
        json.WriteNumber("committed_bytes", committedBeforeMeasurement);
        json.WriteNumber("promoted_bytes", gcInfo.PromotedBytes);
        json.WriteStartArray("generations");
        var names = new[] { "gen0", "gen1", "gen2", "loh", "poh" };
        for (int g = 0; g < gcInfo.GenerationInfo.Length && g < names.Length; g++)
        {
            json.WriteStartObject();
            json.WriteString("generation", names[g]);
            json.WriteNumber("size_after_bytes", gcInfo.GenerationInfo[g].SizeAfterBytes);
            json.WriteNumber("fragmentation_after_bytes", gcInfo.GenerationInfo[g].FragmentationAfterBytes);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteNumber("gen0_collections", GC.CollectionCount(0));
        json.WriteNumber("gen1_collections", GC.CollectionCount(1));
        json.WriteNumber("gen2_collections", GC.CollectionCount(2));
        json.WriteEndObject();
        json.WriteEndObject();
        GC.KeepAlive(agg);
    }

    /// <summary>One close, in as many chunks as <see cref="WindowOptions.MaxWindowsPerBatch"/> makes it; returns the windows.</summary>
    private static long AdvanceAll(WindowAggregator agg)
    {
        long windows = agg.Advance().Windows.Count;
        while (agg.HasPendingWindows)
        {
            windows += agg.Advance().Windows.Count;
        }

        return windows;
    }

    private static void WriteLine(ArrayBufferWriter<byte> buffer, int series, double value, long timestampNs)
    {
        var span = buffer.GetSpan(96);
        "bench,host=h"u8.CopyTo(span);
        int n = 12;
        Utf8Formatter.TryFormat(series, span[n..], out int w, new StandardFormat('D', 7));
        n += w;
        " value="u8.CopyTo(span[n..]);
        n += 7;
        Utf8Formatter.TryFormat(Math.Round(value, 3), span[n..], out w);
        n += w;
        span[n++] = (byte)' ';
        Utf8Formatter.TryFormat(timestampNs, span[n..], out w);
        n += w;
        span[n++] = (byte)'\n';
        buffer.Advance(n);
    }

    private static string HostName(int i) => "h" + i.ToString("D7", System.Globalization.CultureInfo.InvariantCulture);

    private static double[] Latencies(int n, Random random)
    {
        var result = new double[n];
        for (int i = 0; i < n; i++)
        {
            double normal = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
            result[i] = 20 * Math.Exp(normal);
        }

        return result;
    }

    private static long ManagedMemory()
    {
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return GC.GetTotalMemory(true);
    }

    private static void WriteArray(Utf8JsonWriter json, string name, List<double> xs)
    {
        json.WriteStartArray(name);
        foreach (var x in xs)
        {
            json.WriteNumberValue(Math.Round(x));
        }

        json.WriteEndArray();
    }

    /// <summary>The calling thread's CPU time (Linux <c>CLOCK_THREAD_CPUTIME_ID</c>): on a shared machine, wall-clock
    /// rates measure the neighbours as much as the code, so both are reported.</summary>
    private static partial class ThreadCpu
    {
        public static double Now()
        {
            if (!OperatingSystem.IsLinux() || ClockGetTime(3, out var ts) != 0)
            {
                return Stopwatch.GetTimestamp() / (double)Stopwatch.Frequency;
            }

            return ts.Seconds + (ts.Nanoseconds / 1e9);
        }

        [LibraryImport("libc", EntryPoint = "clock_gettime")]
        private static partial int ClockGetTime(int clock, out TimeSpec time);

        [StructLayout(LayoutKind.Sequential)]
        private struct TimeSpec
        {
            public long Seconds;
            public long Nanoseconds;
        }
    }

    /// <summary>Totals over the timed repetitions of one mode.</summary>
    private sealed class Measured
    {
        public List<double> PointsPerSecond { get; } = [];

        public List<double> PointsPerCpuSecond { get; } = [];

        public List<double> IngestOnly { get; } = [];

        public List<double> ParseOnly { get; } = [];

        public List<double> ValidateOnly { get; } = [];

        public long Points { get; private set; }

        public long IngestBytes { get; private set; }

        public long CloseBytes { get; private set; }

        public long Windows { get; private set; }

        public void Add(long points, long ticks, long ingestBytes, long closeBytes, long windows, double cpuSeconds)
        {
            PointsPerCpuSecond.Add(points / cpuSeconds);
            PointsPerSecond.Add(points / (ticks / (double)Stopwatch.Frequency));
            Points += points;
            IngestBytes += ingestBytes;
            CloseBytes += closeBytes;
            Windows += windows;
        }
    }
}
