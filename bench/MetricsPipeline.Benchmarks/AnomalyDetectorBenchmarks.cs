using BenchmarkDotNet.Attributes;
using MetricsPipeline.Anomaly;
using MetricsPipeline.Anomaly.Auto;
using MetricsPipeline.Anomaly.Sequential;
using MetricsPipeline.Anomaly.SrCnn;
using MetricsPipeline.Anomaly.Ssa;

namespace MetricsPipeline.Benchmarks;

/// <summary>
/// Streaming cost per point of each online detector in steady state (the detector has already seen a warm-up series).
/// Run: <c>dotnet run -c Release --project bench/MetricsPipeline.Benchmarks -- --filter '*AnomalyDetector*' --job short</c>.
/// </summary>
[MemoryDiagnoser]
public class AnomalyDetectorBenchmarks
{
    private const int Points = 4096;
    private double[] _series = [];
    private IAnomalyDetector _detector = null!;

    /// <summary>The detector under test.</summary>
    [Params("iid-spike", "iid-changepoint", "ssa-spike", "ssa-changepoint", "srcnn", "auto")]
    public string Detector { get; set; } = "auto";

    /// <summary>Builds a noisy daily-periodic series with spikes and warms the detector up on it.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        _series = Enumerable.Range(0, Points)
            .Select(i => 50 + (20 * Math.Sin(2 * Math.PI * i / 288)) + random.NextDouble() + (i % 997 == 0 ? 40 : 0))
            .ToArray();
        _detector = Detector switch
        {
            "iid-spike" => new IidSpikeDetector(new IidSpikeDetectorOptions()),
            "iid-changepoint" => new IidChangePointDetector(new IidChangePointDetectorOptions()),
            "srcnn" => new SrCnnDetector(new SrCnnDetectorOptions()),
            "ssa-spike" => SsaDetectors.CreateSpike(new SsaDetectorOptions(), _series),
            "ssa-changepoint" => SsaDetectors.CreateChangePoint(new SsaDetectorOptions { Confidence = 95, HistoryLength = 20 }, _series),
            _ => new AutoDetector(new AutoDetectorOptions()),
        };
        foreach (var v in _series)
        {
            _detector.Next(v);
        }
    }

    /// <summary>Feeds the whole series; divide by <see cref="Points"/> for the cost per point (done by OperationsPerInvoke).</summary>
    [Benchmark(OperationsPerInvoke = Points)]
    public double NextPerPoint()
    {
        double sum = 0;
        foreach (var v in _series)
        {
            sum += _detector.Next(v).AnomalyScore;
        }

        return sum;
    }
}
