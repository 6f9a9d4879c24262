using BenchmarkDotNet.Attributes;
using MetricsPipeline.Anomaly;
using MetricsPipeline.Anomaly.Auto;
using MetricsPipeline.Anomaly.Sequential;
using MetricsPipeline.Anomaly.SrCnn;
using MetricsPipeline.Anomaly.Ssa;

namespace MetricsPipeline.Benchmarks;

/// <summary>
/// One 1-minute tick for 10 000 series, each with its own online detector of the given kind (every detector the stage can
/// run, with ML.NET's default parameters): the cost that decides whether one core keeps up with 10 000 series on 1-minute
/// windows. Detectors are warmed up first, so SR-CNN's full window and the IID/SSA histories are in steady state.
/// Run: <c>dotnet run -c Release --project bench/MetricsPipeline.Benchmarks -- --filter '*AnomalyDetectorFleet*' --job short</c>.
/// </summary>
[MemoryDiagnoser]
public class AnomalyDetectorFleetBenchmarks
{
    private const int Series = 10_000;
    private const int Length = 512;
    private const int WarmUp = 200;
    private IAnomalyDetector[] _detectors = [];
    private double[][] _values = [];
    private int _tick;

    /// <summary>The detector kind every series runs.</summary>
    [Params("iid-spike", "iid-changepoint", "ssa-spike", "ssa-changepoint", "srcnn", "auto")]
    public string Detector { get; set; } = "auto";

    /// <summary>Builds 10 000 distinct daily-periodic noisy series and warms every detector up.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(11);
        _values = Enumerable.Range(0, Series).Select(s =>
        {
            var level = 10 + (s % 500);
            return Enumerable.Range(0, Length)
                .Select(i => level * (1 + (0.2 * Math.Sin(2 * Math.PI * (i + s) / 1440)) + (0.05 * random.NextDouble())))
                .ToArray();
        }).ToArray();
        _detectors = new IAnomalyDetector[Series];
        for (var s = 0; s < Series; s++)
        {
            _detectors[s] = Detector switch
            {
                "iid-spike" => new IidSpikeDetector(new IidSpikeDetectorOptions()),
                "iid-changepoint" => new IidChangePointDetector(new IidChangePointDetectorOptions()),
                "ssa-spike" => SsaDetectors.CreateSpike(new SsaDetectorOptions(), _values[s]),
                "ssa-changepoint" => SsaDetectors.CreateChangePoint(new SsaDetectorOptions { Confidence = 95, HistoryLength = 20 }, _values[s]),
                "srcnn" => new SrCnnDetector(new SrCnnDetectorOptions()),
                _ => new AutoDetector(new AutoDetectorOptions()),
            };
        }

        for (var i = 0; i < WarmUp; i++)
        {
            Tick();
        }
    }

    /// <summary>One point for every series; the result is the number of alerts (kept so the work is not elided).</summary>
    [Benchmark]
    public int Tick()
    {
        var alerts = 0;
        var i = _tick++ % Length;
        for (var s = 0; s < _detectors.Length; s++)
        {
            alerts += _detectors[s].Next(_values[s][i]).Alert ? 1 : 0;
        }

        return alerts;
    }
}
