using MetricsPipeline.Anomaly;

namespace MetricsPipeline.Host.Anomaly;

/// <summary>A resolved detector: either a factory of streaming detectors or a whole-series function.</summary>
/// <param name="Name">The detector name.</param>
/// <param name="Columns">The optional columns it produces.</param>
/// <param name="CreateStreaming">Creates a fresh online detector, or null for a batch-only detector.</param>
/// <param name="DetectEntire">Scores a whole series, or null for an online detector.</param>
/// <param name="CreateTrained">Creates an online detector trained on the series' leading rows (ML.NET's Fit), or null.</param>
internal sealed record DetectorChoice(string Name, DetectorColumns Columns, Func<IAnomalyDetector>? CreateStreaming, Func<double[], AnomalyOutput[]>? DetectEntire, Func<double[], IAnomalyDetector>? CreateTrained = null)
{
    /// <summary>Whether the detector scores point by point (so the prediction-engine mode applies).</summary>
    public bool IsOnline => CreateStreaming is not null || CreateTrained is not null;

    /// <summary>Runs the detector over a series, one output per value.</summary>
    public AnomalyOutput[] Run(double[] values)
    {
        if (DetectEntire is not null)
        {
            return DetectEntire(values);
        }

        var detector = CreateTrained is not null ? CreateTrained(values) : CreateStreaming!();
        var output = new AnomalyOutput[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            output[i] = detector.Next(values[i]);
        }

        return output;
    }
}
