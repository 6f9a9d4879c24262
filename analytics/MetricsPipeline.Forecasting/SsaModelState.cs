namespace MetricsPipeline.Forecasting;

/// <summary>Everything a trained SSA model consists of; the unit of checkpointing.</summary>
internal sealed class SsaModelState
{
    /// <summary>Effective window length L (ML.NET may shrink it during training).</summary>
    public int WindowSize { get; set; }

    /// <summary>Signal rank r (0 when untrained).</summary>
    public int Rank { get; set; }

    /// <summary>Whether training ran (false when too few points were available: every forecast is 0).</summary>
    public bool IsTrained { get; set; }

    /// <summary>Eigenvectors u₀…u_{r−1}, each of length L, concatenated.</summary>
    public double[] Basis { get; set; } = [];

    /// <summary>Recurrent coefficients α (length L−1); α[L−2] multiplies the newest value.</summary>
    public double[] Alpha { get; set; } = [];

    /// <summary>Smoothed state (length L−1), oldest first.</summary>
    public double[] State { get; set; } = [];

    /// <summary>One-step forecast from the current state.</summary>
    public double NextPrediction { get; set; }

    /// <summary>Noise moments from training (means already zeroed where the semantics require).</summary>
    public NoiseMoments Noise { get; set; }

    /// <summary>Ring of the last L−1 consumed values.</summary>
    public double[] Recent { get; set; } = [];

    /// <summary>Number of valid values in <see cref="Recent"/>.</summary>
    public int RecentCount { get; set; }

    /// <summary>Next write position in <see cref="Recent"/>.</summary>
    public int RecentHead { get; set; }

    /// <summary>Number of non-NaN points consumed since training.</summary>
    public long Consumed { get; set; }

    /// <summary>
    /// Ring of the last <c>NaiveSeason</c> consumed values for the seasonal-naive part of a forecast combination, or of
    /// the last <c>NaiveMedianLength</c> values for the median-naive part (empty when no combination is used).
    /// </summary>
    public double[] Seasonal { get; set; } = [];

    /// <summary>Number of valid values in <see cref="Seasonal"/>.</summary>
    public int SeasonalCount { get; set; }

    /// <summary>Next write position in <see cref="Seasonal"/>.</summary>
    public int SeasonalHead { get; set; }

    /// <summary>
    /// Coefficients of the autoregressive naive forecast (intercept first, then one per lag of
    /// <c>SsaForecasterOptions.AutoregressiveLags</c>); empty when that forecast is not used.
    /// </summary>
    public double[] Autoregression { get; set; } = [];

    /// <summary>Coefficients of the autoregressive overlay (intercept first); empty when it is off.</summary>
    public double[] Overlay { get; set; } = [];

    /// <summary>Ring of the last (largest overlay lag) consumed values (empty when the overlay is off).</summary>
    public double[] OverlayRing { get; set; } = [];

    /// <summary>Number of valid values in <see cref="OverlayRing"/>.</summary>
    public int OverlayCount { get; set; }

    /// <summary>Next write position in <see cref="OverlayRing"/>.</summary>
    public int OverlayHead { get; set; }

    /// <summary>Online bound recalibration (null when off).</summary>
    public OnlineBoundCalibrator? Calibrator { get; set; }

    /// <summary>The <see cref="Consumed"/> count at which the calibrator last recorded a forecast (−1: never).</summary>
    public long RecordedAt { get; set; } = -1;
}
