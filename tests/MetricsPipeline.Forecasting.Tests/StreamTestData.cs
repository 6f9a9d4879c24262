using System.Collections.Concurrent;
using MetricsPipeline.Forecasting.History;
using MetricsPipeline.Forecasting.Streaming;

namespace MetricsPipeline.Forecasting.Tests;

/// <summary>Window rows and observations of a small simulated fleet for the stream and retraining tests.</summary>
internal static class StreamTestData
{
    public const long MinuteNs = 60_000_000_000;
    public const long T0 = 1_790_002_800L * 1_000_000_000; // a whole hour in 2026

    public static readonly string[] Quantiles = ["p50", "p95"];

    public static double Rate(int minute, int instance) => 100 + (20 * Math.Sin(2 * Math.PI * minute / 30.0)) + (instance * 10) + (((minute * 7919) + instance) % 5);

    public static WindowHistoryRecord Row(int minute, string service, int instance, string field = "request_rate", double? value = null)
    {
        var v = value ?? Rate(minute, instance);
        return new WindowHistoryRecord(
            T0 + (minute * MinuteNs), "1m", "service",
            [new("instance", $"{service}-{instance}"), new("region", "eu"), new("service", service)],
            field, 6, 6 * v, v - 1, v + 1, [v, v + 0.5]);
    }

    public static SeriesObservation Observation(int minute, double value, string key = "service.request_rate.mean.1m|service=api") =>
        new(0, "api", key, T0 + (minute * MinuteNs), value);

    /// <summary>Feeds <paramref name="engine"/> one observation per minute in [<paramref name="from"/>, <paramref name="to"/>) (instance 0's rate) and returns every forecast it emitted.</summary>
    public static List<ServiceForecast> Feed(StreamForecastEngine engine, int from, int to)
    {
        var all = new List<ServiceForecast>();
        for (var m = from; m < to; m++)
        {
            all.AddRange(engine.Process([Observation(m, Rate(m, 0))]));
        }

        return all;
    }

    public static StreamForecastOptions Options(string? models = null) => new()
    {
        Series = [new ForecastSeriesOptions { Name = "request_rate" }],
        Horizon = 5,
        TrainSize = 60,
        WindowSize = 12,
        MaxRank = 6,
        ModelDirectory = models,
    };

    private static readonly ConcurrentBag<string> TempDirs = CleanUpAtExit();

    /// <summary>A new directory under the temp path, removed with everything in it when the test process ends.</summary>
    public static string TempDir()
    {
        var dir = Path.Combine(Path.GetTempPath(), "mp-fc4-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        TempDirs.Add(dir);
        return dir;
    }

    private static ConcurrentBag<string> CleanUpAtExit()
    {
        var dirs = new ConcurrentBag<string>();
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            foreach (var dir in dirs)
            {
                try
                {
                    Directory.Delete(dir, recursive: true);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // A file still open keeps its directory; no later run depends on it.
                }
            }
        };
        return dirs;
    }
}
