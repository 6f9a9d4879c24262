using System.Text.Json;
using MetricsPipeline.Fleet;
using MetricsPipeline.Host.Hosting;
using MetricsPipeline.Kafka;

namespace MetricsPipeline.Host.Commands;

/// <summary>The final account of a <c>demo</c> run: what was produced, consumed, aggregated, written and lost.</summary>
internal sealed record DemoSummary(
    long Intervals,
    long PointsProduced,
    IReadOnlyDictionary<string, long> PointsProducedByMeasurement,
    long PointsConsumed,
    long ValuesAggregated,
    long WindowsClosed,
    IReadOnlyDictionary<string, long> PointsWritten,
    long ParseErrors,
    long DeadLetters,
    long LatePoints,
    long OffsetGaps,
    long RecordsSkipped,
    long SeriesRejected,
    int Series,
    long? FirstEventNs,
    long? LastEventNs,
    double ElapsedSeconds)
{
    /// <summary>Scaling commands the decision stage published.</summary>
    public long ScalingCommandsPublished { get; init; }

    /// <summary>Scaling commands the reference consumer applied to the fleet (instance counts changed).</summary>
    public long ScalingCommands { get; init; }

    /// <summary>Messages the reference consumer read from the scaling topic.</summary>
    public long ScalingCommandsReceived { get; init; }

    /// <summary>
    /// What became of each message read, by outcome in snake case (<c>applied</c>, <c>expired</c>, <c>unchanged</c>,
    /// <c>duplicate</c>, <c>advisory</c>, <c>unsupported_schema</c>, <c>malformed</c>); the counts add up to
    /// <see cref="ScalingCommandsReceived"/>.
    /// </summary>
    public IReadOnlyDictionary<string, long> ScalingCommandOutcomes { get; init; } = new Dictionary<string, long>();

    public double PointsPerSecond => ElapsedSeconds > 0 ? PointsConsumed / ElapsedSeconds : 0;

    public static DemoSummary From(FleetRunStatistics fleet, KafkaLineProducer producer, AnalyticsService analytics, TimeSpan elapsed)
    {
        var c = analytics.Counters;
        return new DemoSummary(
            fleet.Intervals,
            producer.LinesSent,
            fleet.LinesByMeasurement,
            c.PointsReceived,
            c.ValuesAggregated,
            c.WindowsClosed,
            analytics.Sinks.ToDictionary(s => s.Name, s => s.Sink.Statistics.ItemsWritten),
            c.ParseErrors,
            analytics.DeadLetters,
            c.LatePoints,
            analytics.Source.OffsetGaps,
            analytics.Source.RecordsSkipped,
            c.SeriesRejected,
            analytics.Aggregator.SeriesCount,
            fleet.FirstEventTimestampNs,
            fleet.LastEventTimestampNs,
            elapsed.TotalSeconds);
    }

    public void Print(TextWriter output)
    {
        output.WriteLine();
        output.WriteLine($"summary: {Intervals:N0} intervals, {PointsProduced:N0} points produced ({string.Join(", ", PointsProducedByMeasurement.Select(kv => $"{kv.Key} {kv.Value:N0}"))}), {Series:N0} series");
        output.WriteLine($"         {PointsConsumed:N0} points consumed, {ValuesAggregated:N0} values aggregated, {WindowsClosed:N0} windows closed, written: {string.Join(", ", PointsWritten.Select(kv => $"{kv.Key} {kv.Value:N0} points"))}");
        output.WriteLine($"         parse errors {ParseErrors}, dead letters {DeadLetters}, late points {LatePoints}, Kafka offset gaps {OffsetGaps} ({RecordsSkipped} records skipped), series rejected {SeriesRejected}");
        var outcomes = ScalingCommandOutcomes.Where(kv => kv.Value > 0).Select(kv => $"{kv.Value} {kv.Key.Replace('_', ' ')}");
        output.WriteLine($"         scaling commands: {ScalingCommandsPublished} published; the fleet's consumer read {ScalingCommandsReceived}: {string.Join(", ", outcomes.DefaultIfEmpty("none applied"))}");
        output.WriteLine($"         {ElapsedSeconds:F1} s, {PointsPerSecond:N0} points/s consumed");
    }

    public async Task WriteJsonAsync(string path)
    {
        var json = new Dictionary<string, object?>
        {
            ["intervals"] = Intervals,
            ["points_produced"] = PointsProduced,
            ["points_produced_by_measurement"] = PointsProducedByMeasurement,
            ["points_consumed"] = PointsConsumed,
            ["values_aggregated"] = ValuesAggregated,
            ["windows_closed"] = WindowsClosed,
            ["points_written"] = PointsWritten,
            ["parse_errors"] = ParseErrors,
            ["dead_letters"] = DeadLetters,
            ["late_points"] = LatePoints,
            ["offset_gaps"] = OffsetGaps,
            ["records_skipped"] = RecordsSkipped,
            ["series_rejected"] = SeriesRejected,
            ["series"] = Series,
            ["first_event_ns"] = FirstEventNs,
            ["last_event_ns"] = LastEventNs,
            ["elapsed_seconds"] = ElapsedSeconds,
            ["points_per_second"] = PointsPerSecond,
            ["scaling_commands_published"] = ScalingCommandsPublished,
            ["scaling_commands"] = ScalingCommands,
            ["scaling_commands_received"] = ScalingCommandsReceived,
            ["scaling_command_outcomes"] = ScalingCommandOutcomes,
        };
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(json, new JsonSerializerOptions { WriteIndented = true }));
    }
}
