namespace MetricsPipeline.FaultInjection.Tests;

/// <summary>
/// The records a topic holds more than once, split into batches the broker appended again when a producer resent them
/// (<see cref="Resent"/>) and anything else (<see cref="Unexplained"/>).
/// </summary>
/// <remarks>
/// librdkafka's mock cluster (the embedded broker) does not deduplicate an idempotent producer's retries: a batch it
/// appended, whose acknowledgement was lost because the broker went down, is appended again when the producer resends
/// it with the same producer id, epoch and sequence (a Kafka broker answers that retry from its last five batches per
/// producer and partition instead). Such a copy follows its original directly in the partition, because the producer
/// resends a partition's unacknowledged batches in order before anything newer: the log reads
/// <c>... B1 B2 B1 B2 B3 ...</c>. A run of repeated records therefore counts as resent when it repeats, record for
/// record, the records right before it (with a period no longer than the run, so a batch resent more than once also
/// counts); a repeat anywhere else, such as an old record appearing again after newer ones, is unexplained.
/// </remarks>
internal sealed class TopicRepeats
{
    private TopicRepeats(List<TopicRecord> distinct, List<string> resent, int resentRecords, List<string> unexplained)
    {
        Distinct = distinct;
        Resent = resent;
        ResentRecords = resentRecords;
        Unexplained = unexplained;
    }

    /// <summary>The records without the resent copies, in the order read.</summary>
    public IReadOnlyList<TopicRecord> Distinct { get; }

    /// <summary>One entry per run of resent copies: <c>partition N, offsets A..B (K records)</c>.</summary>
    public IReadOnlyList<string> Resent { get; }

    /// <summary>Records inside the <see cref="Resent"/> runs.</summary>
    public int ResentRecords { get; }

    /// <summary>Repeated records that are not a resent batch: <c>partition N offset A: value</c>.</summary>
    public IReadOnlyList<string> Unexplained { get; }

    /// <summary>Classifies the repeats in <paramref name="records"/> (any order; each partition is taken by offset).</summary>
    public static TopicRepeats Find(IEnumerable<TopicRecord> records)
    {
        var distinct = new List<TopicRecord>();
        var resent = new List<string>();
        var resentRecords = 0;
        var unexplained = new List<string>();
        foreach (var partition in records.GroupBy(r => r.Partition).OrderBy(g => g.Key))
        {
            var log = partition.OrderBy(r => r.Offset).ToList();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var i = 0;
            while (i < log.Count)
            {
                if (seen.Add(log[i].Value))
                {
                    distinct.Add(log[i]);
                    i++;
                    continue;
                }

                // A run of records already seen: [i, end).
                var end = i;
                while (end < log.Count && seen.Contains(log[end].Value))
                {
                    end++;
                }

                if (RepeatsWhatPrecedes(log, i, end))
                {
                    resent.Add($"partition {partition.Key}, offsets {log[i].Offset}..{log[end - 1].Offset} ({end - i} records)");
                    resentRecords += end - i;
                }
                else
                {
                    unexplained.AddRange(log.Skip(i).Take(end - i).Select(r => $"partition {r.Partition} offset {r.Offset}: {r.Value.TrimEnd()}"));
                }

                i = end;
            }
        }

        return new TopicRepeats(distinct, resent, resentRecords, unexplained);
    }

    /// <summary>True when some period p ≤ the run's length makes every record of [start, end) equal the one p before it.</summary>
    private static bool RepeatsWhatPrecedes(List<TopicRecord> log, int start, int end)
    {
        for (var period = 1; period <= Math.Min(end - start, start); period++)
        {
            var matches = true;
            for (var k = start; k < end && matches; k++)
            {
                matches = string.Equals(log[k].Value, log[k - period].Value, StringComparison.Ordinal);
            }

            if (matches)
            {
                return true;
            }
        }

        return false;
    }
}
