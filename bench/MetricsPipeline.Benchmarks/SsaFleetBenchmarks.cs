using BenchmarkDotNet.Attributes;
using MetricsPipeline.Forecasting;

namespace MetricsPipeline.Benchmarks;

/// <summary>
/// One 1-minute tick for 10 000 independent series: each consumes its new point and forecasts 12 steps with bounds.
/// Models are distinct objects (cloned from one trained model), so the run pays the real cache misses.
/// </summary>
[MemoryDiagnoser]
public class SsaFleetBenchmarks
{
    private const int Series = 10_000;
    private SsaForecaster[] _models = [];
    private double[] _points = [];
    private readonly double[] _f = new double[12];
    private readonly double[] _lo = new double[12];
    private readonly double[] _up = new double[12];
    private int _tick;

    /// <summary>Whether every model has all the tuner-selectable features on (<see cref="SsaBenchmarkModels.WithAllFeatures"/>).</summary>
    [Params(false, true)]
    public bool AllFeatures { get; set; }

    /// <summary>Trains one model (L = 100, rank cap 20) and clones it 10 000 times.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(2);
        var series = Enumerable.Range(0, 3000).Select(t => 100 + (20 * Math.Sin(2 * Math.PI * t / 48)) + (3 * rng.NextDouble())).ToArray();
        var model = SsaForecaster.Train(SsaBenchmarkModels.Fleet(AllFeatures), series);
        _models = Enumerable.Range(0, Series).Select(_ => model.Clone()).ToArray();
        _points = series[2000..];
    }

    /// <summary>Consume + 12-step forecast for every series (one minute of work for the fleet).</summary>
    [Benchmark]
    public double TickAllSeries()
    {
        double x = _points[_tick++ % _points.Length];
        double sum = 0;
        foreach (var model in _models)
        {
            model.Consume(x);
            model.Forecast(_f, _lo, _up);
            sum += _f[11];
        }

        return sum;
    }
}
