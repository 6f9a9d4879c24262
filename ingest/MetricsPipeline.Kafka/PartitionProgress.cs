namespace MetricsPipeline.Kafka;

/// <summary>
/// What <see cref="KafkaSource"/> knows about one assigned partition: the next expected offset and the highest
/// acknowledged one. Written by the consume thread, read by any thread (Interlocked).
/// </summary>
internal sealed class PartitionProgress(long expectedOffset = -1)
{
    private long position = expectedOffset;
    private long acknowledged = -1;

    /// <summary>The next expected offset (last consumed + 1, or the committed offset); -1 when unknown.</summary>
    public long Position => Interlocked.Read(ref position);

    /// <summary>The highest offset stored by an acknowledgement; -1 before the first one.</summary>
    public long Acknowledged => Interlocked.Read(ref acknowledged);

    /// <summary>
    /// Records that <paramref name="offset"/> was consumed. Returns how many offsets were skipped before it (0 when it is
    /// the expected one, when the expectation is unknown, or for a redelivery of an earlier offset).
    /// </summary>
    public long Advance(long offset)
    {
        var expected = Interlocked.Exchange(ref position, offset + 1);
        return expected >= 0 && offset > expected ? offset - expected : 0;
    }

    /// <summary>Raises <see cref="Acknowledged"/> to <paramref name="nextOffset"/>; false when it is not higher.</summary>
    /// <remarks>Callers serialize on this instance so the store to Kafka and this update happen together.</remarks>
    public bool TryAcknowledge(long nextOffset)
    {
        if (nextOffset <= acknowledged)
        {
            return false;
        }

        Interlocked.Exchange(ref acknowledged, nextOffset);
        return true;
    }
}
