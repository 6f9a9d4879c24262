using MetricsPipeline.Host.Hosting;

namespace MetricsPipeline.Host.Observability;

/// <summary>
/// Reads the running pipeline's counters (analytics stage, Kafka consumer, sinks, window stages) into
/// <see cref="TelemetrySample"/>s. Thread-safe: every source counter is read atomically, the set as a whole is not a
/// consistent snapshot (no counter is ever read twice, so a scrape never goes backwards).
/// </summary>
public static class PipelineTelemetry
{
    private static readonly KeyValuePair<string, string>[] NoLabels = [];

    /// <summary>Collects every sample; never throws (a failing lag query leaves the lag samples out).</summary>
    public static IReadOnlyList<TelemetrySample> Collect(AnalyticsService analytics)
    {
        ArgumentNullException.ThrowIfNull(analytics);
        var c = analytics.Counters;
        var samples = new List<TelemetrySample>(32)
        {
            Counter("pipeline_messages_received_total", "Kafka records read by the analytics stage.", c.MessagesReceived),
            Counter("pipeline_points_received_total", "Valid line-protocol points read.", c.PointsReceived),
            Counter("pipeline_values_aggregated_total", "Numeric field values added to windows (once per resolution).", c.ValuesAggregated),
            Counter("pipeline_windows_closed_total", "Windows closed and handed to the sinks.", c.WindowsClosed),
            Counter("pipeline_late_points_total", "Points whose window had already closed.", c.LatePoints),
            Counter("pipeline_replayed_points_total", "Points re-read after a restart or takeover whose windows the checkpoint had already written (not late).", c.ReplayedPoints),
            Counter("pipeline_parse_errors_total", "Lines rejected by the parser.", c.ParseErrors),
            Counter("pipeline_dead_letters_total", "Records and points written to the dead-letter topic.", analytics.DeadLetters),
            Counter("pipeline_offset_gaps_total", "Offset gaps seen by the consumer (compaction, deleted records).", analytics.Source.OffsetGaps),
            Gauge("pipeline_series_count", "Series with open windows.", analytics.Aggregator.SeriesCount),
        };

        const string discardedHelp = "Points discarded, by reason.";
        samples.Add(Labelled("pipeline_discarded_total", discardedHelp, true, "reason", "late", c.LatePoints));
        samples.Add(Labelled("pipeline_discarded_total", discardedHelp, true, "reason", "series_limit", c.SeriesRejected));
        samples.Add(Labelled("pipeline_discarded_total", discardedHelp, true, "reason", "parse_error", c.ParseErrors));

        const string errorsHelp = "Errors by stage.";
        samples.Add(Labelled("pipeline_errors_total", errorsHelp, true, "stage", "parse", c.ParseErrors));
        samples.Add(Labelled("pipeline_errors_total", errorsHelp, true, "stage", "window_stages", analytics.StageErrors));
        long sinkDeadLettered = 0;
        foreach (var (name, sink) in analytics.Sinks)
        {
            var s = sink.Statistics;
            sinkDeadLettered += s.ItemsDeadLettered;
            samples.Add(Labelled("pipeline_sink_written_total", "Points acknowledged by the sink.", true, "sink", name, s.ItemsWritten));
            samples.Add(Labelled("pipeline_sink_retries_total", "Batch writes retried.", true, "sink", name, s.Retries));
            samples.Add(Labelled("pipeline_sink_dead_lettered_total", "Points the sink gave up on.", true, "sink", name, s.ItemsDeadLettered));
            samples.Add(Labelled("pipeline_sink_dropped_total", "Points the sink dropped (opt-in drop mode).", true, "sink", name, s.ItemsDropped));
            samples.Add(Labelled("pipeline_sink_buffered_points", "Points waiting in the sink's buffer.", false, "sink", name, s.CurrentBuffered));
            samples.Add(Labelled("pipeline_sink_latency_seconds", "Duration of the sink's last batch write.", false, "sink", name, s.LastWriteLatency.TotalSeconds));
        }

        samples.Add(Labelled("pipeline_errors_total", errorsHelp, true, "stage", "sink", sinkDeadLettered));

        if (analytics.Checkpoints is { } k)
        {
            samples.Add(Counter("pipeline_checkpoints_total", "Partition checkpoints persisted.", k.Written));
            samples.Add(Counter("pipeline_checkpoint_errors_total", "Checkpoints that could not be persisted (their offsets stayed back).", k.Failed));
            samples.Add(Counter("pipeline_checkpoint_restores_total", "Partitions whose state was restored from a checkpoint on assignment.", k.PartitionsRestored));
            samples.Add(Counter("pipeline_checkpoint_fallbacks_total", "Partitions or stage records that started clean because their checkpoint was missing, corrupt or inconsistent.", k.CleanStarts));
            samples.Add(Counter("pipeline_checkpoint_windows_discarded_total", "Open windows dropped unwritten because their partition was revoked (the next owner rebuilds them).", k.WindowsDiscarded));
            samples.Add(Counter("pipeline_checkpoint_keys_restored_total", "Stage keys (services, series) whose state was merged from the checkpoint of a partition assigned here.", k.KeysRestored));
            samples.Add(Counter("pipeline_checkpoint_keys_dropped_total", "Stage keys whose state was dropped because the one partition feeding them was revoked.", k.KeysDropped));
        }

        try
        {
            foreach (var lag in analytics.Source.GetLag())
            {
                if (lag.Lag < 0)
                {
                    continue; // no fetch yet: an unknown lag is left out rather than reported as 0
                }

                samples.Add(new TelemetrySample(
                    "pipeline_consumer_lag_messages",
                    "Records between the consumer's position and the partition's high watermark.",
                    false,
                    [new("partition", lag.Partition.ToString(System.Globalization.CultureInfo.InvariantCulture)), new("topic", lag.Topic)],
                    lag.Lag));
            }
        }
        catch (Exception)
        {
            // The consumer is stopping or was disposed: the lag is not known, everything else still is.
        }

        return samples;
    }

    private static TelemetrySample Counter(string name, string help, long value) => new(name, help, true, NoLabels, value);

    private static TelemetrySample Gauge(string name, string help, long value) => new(name, help, false, NoLabels, value);

    private static TelemetrySample Labelled(string name, string help, bool counter, string label, string labelValue, double value) =>
        new(name, help, counter, [new(label, labelValue)], value);
}
