namespace MetricsPipeline.Anomaly.SrCnn;

/// <summary>Parameters of <see cref="SrCnnEntireDetector"/>, named as in ML.NET's <c>DetectEntireAnomalyBySrCnn</c>.</summary>
public sealed class SrCnnEntireOptions
{
    /// <summary>Alert when the raw score exceeds this value, in [0, 1]. The default is 0.3.</summary>
    public double Threshold { get; set; } = 0.3;

    /// <summary>Points per batch; −1 processes the whole series as one batch, otherwise at least 12. The default is 1024.</summary>
    public int BatchSize { get; set; } = 1024;

    /// <summary>Sensitivity in [0, 100]: the higher, the narrower the margins. The default is 99.</summary>
    public double Sensitivity { get; set; } = 99;

    /// <summary>Output mode. The default is <see cref="SrCnnDetectMode.AnomalyOnly"/>.</summary>
    public SrCnnDetectMode DetectMode { get; set; } = SrCnnDetectMode.AnomalyOnly;

    /// <summary>The seasonal period in points; 0 disables deseasonalisation. The default is 0.</summary>
    public int Period { get; set; }

    /// <summary>How to remove the period. The default is <see cref="SrCnnDeseasonalityMode.Stl"/>.</summary>
    public SrCnnDeseasonalityMode Deseasonality { get; set; } = SrCnnDeseasonalityMode.Stl;

    /// <summary>Throws when a parameter is out of range.</summary>
    public void Validate()
    {
        if (Threshold < 0 || Threshold > 1)
        {
            throw new ArgumentException("threshold must be in [0, 1].");
        }

        if (BatchSize != -1 && BatchSize < 12)
        {
            throw new ArgumentException("batchSize must be -1 or at least 12.");
        }

        if (Sensitivity < 0 || Sensitivity > 100)
        {
            throw new ArgumentException("sensitivity must be in [0, 100].");
        }

        if (Period < 0)
        {
            throw new ArgumentException("period must be non-negative.");
        }
    }
}
