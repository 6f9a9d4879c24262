using MetricsPipeline.Anomaly;
using MetricsPipeline.Anomaly.Streaming;

namespace MetricsPipeline.Host.Stages;

/// <summary>One scored window of one monitored series, as the stage's points and alerts report it.</summary>
/// <param name="Definition">The series family.</param>
/// <param name="Group">The group (service).</param>
/// <param name="StartNs">The window start, Unix ns.</param>
/// <param name="Value">The combined value of the window.</param>
/// <param name="Output">The detector's output row.</param>
/// <param name="Score">The anomaly score in [0, 1] (0 when the detector gave NaN).</param>
/// <param name="Expected">The expected value (baseline or detector).</param>
/// <param name="Lower">The lower bound.</param>
/// <param name="Upper">The upper bound.</param>
/// <param name="Ratio">Value / expected, or NaN.</param>
/// <param name="Severity">0 none, 1 warning, 2 critical, 3 emergency (traffic spike).</param>
/// <param name="Transition">The alert lifecycle's step.</param>
internal readonly record struct AnomalyWindowScore(
    AnomalySeriesDefinition Definition,
    string Group,
    long StartNs,
    double Value,
    AnomalyOutput Output,
    double Score,
    double Expected,
    double Lower,
    double Upper,
    double Ratio,
    int Severity,
    AlertTransition Transition);
