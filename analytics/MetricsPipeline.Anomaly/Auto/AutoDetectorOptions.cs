namespace MetricsPipeline.Anomaly.Auto;

/// <summary>Parameters of <see cref="AutoDetector"/>. The defaults are shared by every series; nothing is per-file.</summary>
public sealed class AutoDetectorOptions
{
    /// <summary>Rows of history each surprise measure is compared against. The default is 1000.</summary>
    public int HistoryLength { get; set; } = 1000;

    /// <summary>Rows seen before any score is emitted (the detector is still learning). The default is 150.</summary>
    public int WarmUp { get; set; } = 150;

    /// <summary>Quantile of the past |surprise| a new value is measured against; 1 is the maximum. The default is 0.999.</summary>
    public double ReferenceQuantile { get; set; } = 0.999;

    /// <summary>Anomaly score from which a report is made; it starts the refractory period. The default is 0.5.</summary>
    public double AlertLevel { get; set; } = 0.5;

    /// <summary>Rows after a report during which scores are damped, so a level shift is reported once. The default is 120.</summary>
    public int RefractoryLength { get; set; } = 120;

    /// <summary>Factor applied to scores during the refractory period. The default is 0.5.</summary>
    public double RefractoryDamping { get; set; } = 0.5;

    /// <summary>Weight of the first-difference surprise (spikes, steps). The default is 1.5.</summary>
    public double DifferenceWeight { get; set; } = 1.5;

    /// <summary>Weight of the seasonal-difference surprise (broken daily patterns). The default is 1.</summary>
    public double SeasonalWeight { get; set; } = 1.0;

    /// <summary>Weight of the range-novelty surprise (values never seen in the history). The default is 1.</summary>
    public double NoveltyWeight { get; set; } = 1.0;

    /// <summary>Weight of the robust z-score of the value against its history (median and IQR). The default is 0.2.</summary>
    public double ValueWeight { get; set; } = 0.2;

    /// <summary>
    /// The value z-score counts only for values outside the [tail, 1 − tail] quantiles of the history, so a value that
    /// recurs often (the spikes of a bursty series) is not news however large its z-score. The default is 0.02.
    /// </summary>
    public double ValueTail { get; set; } = 0.02;

    /// <summary>
    /// The value z-score's scale is at least this fraction of the standard deviation implied by the tail quantiles, so a
    /// bursty series whose IQR is zero still has a sensible scale. The default is 0.2.
    /// </summary>
    public double TailScaleFactor { get; set; } = 0.2;

    /// <summary>
    /// The value z-score is divided by <see cref="RecurrenceDiscount"/> when more than <see cref="RecurrenceAllowance"/> past
    /// values reached this fraction of the current deviation. The default is 0.8.
    /// </summary>
    public double RecurrenceFraction { get; set; } = 0.8;

    /// <summary>Past values at that deviation that are tolerated before the discount starts. The default is 15.</summary>
    public int RecurrenceAllowance { get; set; } = 15;

    /// <summary>The divisor of the value z-score once the recurrence allowance is exceeded. The default is 100.</summary>
    public double RecurrenceDiscount { get; set; } = 100;

    /// <summary>
    /// During the refractory period a new report is still made when the surprise exceeds the one that started the period
    /// by this factor (a second, larger anomaly is not swallowed). The default is 1.1.
    /// </summary>
    public double BypassFactor { get; set; } = 1.1;

    /// <summary>Rows of the smoothing applied before differencing (a short mean). The default is 3.</summary>
    public int Smoothing { get; set; } = 3;

    /// <summary>Longest seasonal period searched, in rows. The default is 600.</summary>
    public int MaxPeriod { get; set; } = 600;

    /// <summary>Minimum autocorrelation for a period to be used. The default is 0.6.</summary>
    public double MinSeasonalCorrelation { get; set; } = 0.6;

    /// <summary>Returns an independent copy (every setting is a value).</summary>
    public AutoDetectorOptions Clone() => (AutoDetectorOptions)MemberwiseClone();

    /// <summary>Throws when a parameter is out of range.</summary>
    public void Validate()
    {
        if (HistoryLength < 10 || WarmUp < 0 || RefractoryLength < 0 || Smoothing < 1 || MaxPeriod < 4)
        {
            throw new ArgumentException("auto: historyLength ≥ 10, warmUp ≥ 0, refractoryLength ≥ 0, smoothing ≥ 1, maxPeriod ≥ 4.");
        }

        if (ReferenceQuantile <= 0 || ReferenceQuantile > 1 || ValueTail <= 0 || ValueTail >= 0.5 || AlertLevel <= 0 || AlertLevel >= 1 || RefractoryDamping < 0 || RefractoryDamping > 1)
        {
            throw new ArgumentException("auto: referenceQuantile in (0, 1], alertLevel in (0, 1), refractoryDamping in [0, 1].");
        }
    }
}
