using MetricsPipeline.Forecasting.Store;

namespace MetricsPipeline.Forecasting.Retraining;

/// <summary>
/// Fits one model per series for the model store: the window and rank cap are chosen by <see cref="SsaAutoTuner"/>
/// (season detection + inner rolling-origin backtest, which also calibrates the bounds); the chosen configuration is
/// then scored by a rolling-origin backtest (<see cref="Backtester"/>: first 70 % fit, the rest evaluated; score =
/// mean MASE over the evaluated steps, lower is better) and finally refitted on every value so the stored state ends
/// at the last window.
/// </summary>
public sealed class ModelRetrainer
{
    private readonly ModelStore _store;
    private readonly TimeProvider _time;

    /// <summary>Creates the retrainer.</summary>
    public ModelRetrainer(ModelStore store, TimeProvider? time = null)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Forecast steps the models are tuned and scored for. The default is 60.</summary>
    public int Horizon { get; init; } = 60;

    /// <summary>
    /// Horizon of the stored models: the steps the stream forecasts with them (<c>retrain</c> passes
    /// <c>Analytics:Forecasting:Horizon</c>). The online bound recalibration of a model runs only on forecasts of its own
    /// horizon, so a model stored for fewer steps than the stream asks for never recalibrated there. The default (null)
    /// is <see cref="Horizon"/>.
    /// </summary>
    public int? ServingHorizon { get; init; }

    /// <summary>Confidence level of the bounds. The default is 0.95.</summary>
    public float ConfidenceLevel { get; init; } = 0.95f;

    /// <summary>
    /// Online bound recalibration window of the stored models (<see cref="SsaForecasterOptions.RecalibrationWindow"/>;
    /// 0 = off); <c>retrain</c> passes the stream's <c>Analytics:Forecasting:RecalibrationWindow</c> so adopted models
    /// behave like the stream's own. The default is <see cref="SsaForecasterOptions.DefaultRecalibrationWindow"/>.
    /// </summary>
    public int RecalibrationWindow { get; init; } = SsaForecasterOptions.DefaultRecalibrationWindow;

    /// <summary>Mark stored versions as forced (the stream loads them even if they score worse). The default is false.</summary>
    public bool Force { get; init; }

    /// <summary>Fewest windows a series needs. The default is 60.</summary>
    public int MinPoints { get; init; } = 60;

    /// <summary>Fits, scores and stores a model of <paramref name="history"/>. Never throws for bad data: it reports a skip.</summary>
    public RetrainOutcome Retrain(SeriesHistory history, IProgress<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(history);
        var values = history.Values;
        var n = values.Length;
        if (n < MinPoints)
        {
            return new RetrainOutcome(history.SeriesKey, n, null, $"only {n} windows (need {MinPoints})");
        }

        try
        {
            // Windows filled in for a gap are not observations: forecasts are neither made from them nor scored on them
            // (they used to be, so a gap after a spike scored the spike's copies as the series).
            var real = history.Real.Length == n ? history.Real : [];
            var tuning = SsaAutoTuner.Tune(values, Math.Min(Horizon, Math.Max(1, n / 10)), progress: progress, confidenceLevel: ConfidenceLevel, real: real);
            var options = tuning.ServingOptions(ServingHorizon ?? Horizon, ConfidenceLevel, RecalibrationWindow);
            var (mase, smape, coverage, score) = Score(values, real, options, tuning.Season);
            options.TrainSize = n;
            var model = SsaForecaster.Train(options, values);
            var metadata = new ModelMetadata(
                history.SeriesKey, 0, score, mase, smape, coverage, model.WindowSize, model.Rank, tuning.Season,
                history.StartNs[^1], n, _time.GetUtcNow(), Force, tuning.Describe());
            return new RetrainOutcome(history.SeriesKey, n, _store.Save(model, metadata), null);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or ArithmeticException)
        {
            return new RetrainOutcome(history.SeriesKey, n, null, ex.Message);
        }
    }

    private (double[] Mase, double[] Smape, double[] Coverage, double Score) Score(double[] values, bool[] real, SsaForecasterOptions options, int season)
    {
        var n = values.Length;
        var train = Math.Max((2 * options.WindowSize) + 1, (int)(n * 0.7));
        var h = Math.Min(Horizon, n - train - 1);
        if (h < 1)
        {
            return ([], [], [], double.NaN);
        }

        var scoring = options.Clone();
        scoring.TrainSize = train;
        scoring.Horizon = h;
        var report = Backtester.Run(values, scoring, season > 1 ? season : 1, real: real);
        var mase = report.Steps.Select(s => s.Mase).ToArray();
        var finite = mase.Where(double.IsFinite).ToList();
        return (mase, report.Steps.Select(s => s.Smape).ToArray(), report.Steps.Select(s => s.Coverage).ToArray(), finite.Count == 0 ? double.NaN : finite.Average());
    }
}
