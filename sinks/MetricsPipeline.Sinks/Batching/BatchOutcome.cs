namespace MetricsPipeline.Sinks.Batching;

/// <summary>How the sink's loop finished one batch.</summary>
internal enum BatchOutcome
{
    Written,
    DeadLettered,
    Aborted,
}
