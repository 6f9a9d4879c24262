using BenchmarkDotNet.Attributes;
using MetricsPipeline.Forecasting;

namespace MetricsPipeline.Benchmarks;

/// <summary>
/// SSA training (L = 100, N = 2000), one online update, and one 12-step forecast with bounds; the update and forecast
/// also with every default-mode feature the auto tuner can choose switched on (<see cref="SsaBenchmarkModels.WithAllFeatures"/>).
/// </summary>
[MemoryDiagnoser]
public class SsaBenchmarks
{
    private double[] _series = [];
    private SsaForecaster _model = null!;
    private SsaForecaster _full = null!;
    private readonly double[] _f = new double[12];
    private readonly double[] _lo = new double[12];
    private readonly double[] _up = new double[12];
    private int _t;

    /// <summary>Training method under test.</summary>
    [Params(RankSelectionMethod.Exact, RankSelectionMethod.Fast, RankSelectionMethod.Fixed)]
    public RankSelectionMethod Method { get; set; }

    /// <summary>Builds a seasonal, noisy series and a trained model.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _series = SsaBenchmarkModels.Series(4000, 1);
        _model = SsaForecaster.Train(Options(), _series);
        _full = SsaForecaster.Train(SsaBenchmarkModels.WithAllFeatures(Options()), _series);
    }

    private SsaForecasterOptions Options() => SsaBenchmarkModels.Plain(Method);

    /// <summary>Full training on 2000 points with a window of 100.</summary>
    [Benchmark]
    public SsaForecaster Train() => SsaForecaster.Train(Options(), _series);

    /// <summary>One online update (Consume).</summary>
    [Benchmark]
    public double Consume()
    {
        _model.Consume(_series[2000 + (_t++ & 1023)]);
        return _model.NextPrediction;
    }

    /// <summary>One online update plus a 12-step forecast with bounds (one series, one minute).</summary>
    [Benchmark]
    public double ConsumeAndForecast()
    {
        _model.Consume(_series[2000 + (_t++ & 1023)]);
        _model.Forecast(_f, _lo, _up);
        return _f[11];
    }

    /// <summary><see cref="ConsumeAndForecast"/> on the model with every tuner-selectable feature on.</summary>
    [Benchmark]
    public double ConsumeAndForecastAllFeatures()
    {
        _full.Consume(_series[2000 + (_t++ & 1023)]);
        _full.Forecast(_f, _lo, _up);
        return _f[11];
    }
}
