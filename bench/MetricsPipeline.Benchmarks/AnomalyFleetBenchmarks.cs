using BenchmarkDotNet.Attributes;
using MetricsPipeline.Anomaly;
using MetricsPipeline.Anomaly.Auto;
using MetricsPipeline.Anomaly.SrCnn;
using MetricsPipeline.Anomaly.Streaming;

namespace MetricsPipeline.Benchmarks;

/// <summary>
/// One 1-minute tick of the streaming anomaly stage's per-series work for 10 000 series: the detector, the robust
/// baseline (expected value and bounds) and the alert lifecycle, each series warmed up past the detector's warm-up.
/// Run: <c>dotnet run -c Release --project bench/MetricsPipeline.Benchmarks -- --filter '*AnomalyFleet*' --job short</c>.
/// </summary>
[MemoryDiagnoser]
public class AnomalyFleetBenchmarks
{
    private const int Series = 10_000;
    private const int WarmUp = 300;
    private IAnomalyDetector[] _detectors = [];
    private RobustBaseline[] _baselines = [];
    private AlertLifecycle[] _lifecycles = [];
    private double[][] _values = [];
    private int _tick;
    private long _timeNs;

    /// <summary>The detector under test.</summary>
    [Params("auto", "srcnn")]
    public string Detector { get; set; } = "auto";

    /// <summary>Builds and warms up 10 000 independent series.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(7);
        _values = Enumerable.Range(0, Series).Select(s =>
        {
            var level = 10 + (s % 500);
            return Enumerable.Range(0, 1024).Select(i => level * (1 + (0.2 * Math.Sin(2 * Math.PI * (i + s) / 1440)) + (0.05 * random.NextDouble()))).ToArray();
        }).ToArray();
        _detectors = Enumerable.Range(0, Series).Select(_ => Detector == "srcnn" ? (IAnomalyDetector)new SrCnnDetector(new SrCnnDetectorOptions()) : new AutoDetector(new AutoDetectorOptions())).ToArray();
        _baselines = Enumerable.Range(0, Series).Select(_ => new RobustBaseline(60, 4, 10)).ToArray();
        _lifecycles = Enumerable.Range(0, Series).Select(_ => new AlertLifecycle(TimeSpan.FromMinutes(30), TimeSpan.FromMinutes(10), 3)).ToArray();
        for (var i = 0; i < WarmUp; i++)
        {
            Tick();
        }
    }

    /// <summary>One window of every series.</summary>
    [Benchmark]
    public int Tick()
    {
        var alerts = 0;
        var i = _tick++ % 1024;
        _timeNs += 60_000_000_000;
        for (var s = 0; s < Series; s++)
        {
            var value = _values[s][i];
            var output = _detectors[s].Next(value);
            var (expected, _, _) = _baselines[s].Observe(value);
            var severity = output.Alert || value > 1.8 * expected ? 1 : 0;
            alerts += _lifecycles[s].Step(_timeNs, severity) == AlertTransition.None ? 0 : 1;
        }

        return alerts;
    }
}
