namespace MetricsPipeline.Anomaly.SrCnn;

/// <summary>Parameters of <see cref="SrCnnDetector"/>, named as in ML.NET's <c>DetectAnomalyBySrCnn</c>.</summary>
public sealed class SrCnnDetectorOptions
{
    /// <summary>Number of most recent points the spectral residual is computed over. The default is 64.</summary>
    public int WindowSize { get; set; } = 64;

    /// <summary>Number of extrapolated points appended after the window. The default is 5.</summary>
    public int BackAddWindowSize { get; set; } = 5;

    /// <summary>Number of previous points used to extrapolate. The default is 5.</summary>
    public int LookaheadWindowSize { get; set; } = 5;

    /// <summary>Width of the averaging filter over the log-amplitude spectrum. The default is 3.</summary>
    public int AveragingWindowSize { get; set; } = 3;

    /// <summary>Width of the averaging filter over the saliency map used to judge a point. The default is 21.</summary>
    public int JudgementWindowSize { get; set; } = 21;

    /// <summary>Alert when the raw score exceeds this value, in [0, 1]. The default is 0.3.</summary>
    public double Threshold { get; set; } = 0.3;

    /// <summary>Throws when a parameter is out of range.</summary>
    public void Validate()
    {
        if (WindowSize < 2 || BackAddWindowSize < 1 || LookaheadWindowSize < 1 || AveragingWindowSize < 1 || JudgementWindowSize < 1)
        {
            throw new ArgumentException("SR-CNN window sizes must be positive and windowSize at least 2.");
        }

        if (LookaheadWindowSize + 2 > WindowSize || JudgementWindowSize > WindowSize)
        {
            throw new ArgumentException("lookaheadWindowSize + 2 and judgementWindowSize must not exceed windowSize.");
        }

        if (Threshold < 0 || Threshold > 1)
        {
            throw new ArgumentException("threshold must be in [0, 1].");
        }
    }
}
