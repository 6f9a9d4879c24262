namespace MetricsPipeline.Forecasting;

/// <summary>Errors at one horizon step of a rolling-origin backtest.</summary>
/// <param name="Step">Horizon step, 1-based.</param>
/// <param name="Count">Number of forecasts evaluated at this step.</param>
/// <param name="Mase">SSA mean absolute error divided by the in-sample seasonal-naive MAE of the training rows.</param>
/// <param name="Smape">SSA symmetric MAPE, in percent (0…200).</param>
/// <param name="Coverage">Fraction of actuals inside the SSA confidence bounds.</param>
/// <param name="SeasonalNaiveMase">MASE of the seasonal-naive forecast (same scale).</param>
/// <param name="SeasonalNaiveSmape">sMAPE of the seasonal-naive forecast.</param>
/// <param name="NaiveMase">MASE of the naive (last value) forecast.</param>
/// <param name="NaiveSmape">sMAPE of the naive forecast.</param>
/// <param name="BoundCalibration">Factor on this step's bound half-width that would make its coverage equal the confidence level (NaN if zero width).</param>
/// <param name="TwoSidedMase">MASE of the non-causal <see cref="TwoSidedReference"/> at this step (same scale; it knows the future).</param>
/// <param name="TwoSidedSpan">Values per side of the <see cref="TwoSidedReference"/> estimate that gave <paramref name="TwoSidedMase"/>.</param>
public sealed record BacktestStep(int Step, int Count, double Mase, double Smape, double Coverage, double SeasonalNaiveMase, double SeasonalNaiveSmape, double NaiveMase, double NaiveSmape, double BoundCalibration = double.NaN, double TwoSidedMase = double.NaN, int TwoSidedSpan = 0);
