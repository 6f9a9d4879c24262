namespace MetricsPipeline.FaultInjection.Tests;

/// <summary>One record of a topic, as <see cref="TopicReader.ReadRecords"/> read it: partition, offset and value (UTF-8).</summary>
internal sealed record TopicRecord(int Partition, long Offset, string Value);
