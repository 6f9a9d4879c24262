namespace MetricsPipeline.Anomaly.Sequential;

/// <summary>Parameters of <see cref="IidChangePointDetector"/>, named as in ML.NET's <c>DetectIidChangePoint</c>.</summary>
public sealed class IidChangePointDetectorOptions
{
    /// <summary>Confidence in percent, used to derive the martingale threshold. The default is 95.</summary>
    public double Confidence { get; set; } = 95;

    /// <summary>W: the length of the p-value history and of the martingale window. The default is 20.</summary>
    public int ChangeHistoryLength { get; set; } = 20;

    /// <summary>The betting function. The default is <see cref="MartingaleType.Power"/>.</summary>
    public MartingaleType Martingale { get; set; } = MartingaleType.Power;

    /// <summary>ε of the power martingale. The default is 0.1.</summary>
    public double PowerMartingaleEpsilon { get; set; } = 0.1;
}
