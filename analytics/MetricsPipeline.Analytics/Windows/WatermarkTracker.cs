namespace MetricsPipeline.Analytics.Windows;

/// <summary>
/// Per-partition event-time watermarks. The stage's watermark is the smallest "latest event time seen" over the
/// partitions that are still active, so one slow partition holds windows open instead of making its points late.
/// A partition that delivered nothing for the idle timeout (processing time) stops holding the watermark back —
/// unless the whole stage was stalled meanwhile with input waiting (<see cref="InputPending"/>, e.g. the sinks applying
/// backpressure): a partition whose records sit in the source's queue is not idle, and declaring it so would make them
/// late. Not thread-safe: owned by the analytics stage.
/// </summary>
public sealed class WatermarkTracker
{
    private readonly Dictionary<(string Topic, int Partition), (long MaxEventNs, long LastSeenTicks)> _partitions = new();
    private readonly TimeProvider _time;
    private readonly long _idleTicks;
    private long _lastAnyTicks = long.MinValue;

    /// <summary>Creates a tracker.</summary>
    /// <param name="idleTimeout">How long a silent partition keeps holding the watermark back.</param>
    /// <param name="time">The processing-time clock.</param>
    public WatermarkTracker(TimeSpan idleTimeout, TimeProvider time)
    {
        _time = time;
        _idleTicks = (long)(idleTimeout.TotalSeconds * time.TimestampFrequency);
    }

    /// <summary>Records that <paramref name="partition"/> delivered points up to <paramref name="maxEventNs"/>.</summary>
    public void Observe(string topic, int partition, long maxEventNs)
    {
        var now = _time.GetTimestamp();
        _lastAnyTicks = now;
        var key = (topic, partition);
        if (_partitions.TryGetValue(key, out var state))
        {
            _partitions[key] = (Math.Max(state.MaxEventNs, maxEventNs), now);
        }
        else
        {
            _partitions[key] = (maxEventNs, now);
        }
    }

    /// <summary>
    /// Registers a partition assigned to this consumer before it delivered anything: it holds the watermark back
    /// (nothing of it has been seen) until it delivers or goes idle, so that its first points are not late merely
    /// because another partition was read first.
    /// </summary>
    public void Assign(string topic, int partition)
    {
        var key = (topic, partition);
        if (!_partitions.ContainsKey(key))
        {
            _partitions[key] = (long.MinValue, _time.GetTimestamp());
        }
    }

    /// <summary>
    /// Says whether the source holds records the stage has not received yet (null: never). While it does, a partition
    /// that has delivered before goes idle only if other partitions delivered after it for the idle timeout: a stall
    /// of the whole stage is not silence of a partition.
    /// </summary>
    public Func<bool>? InputPending { get; set; }

    /// <summary>Stops tracking a partition (revoked, or drained at shutdown).</summary>
    public void Remove(string topic, int partition) => _partitions.Remove((topic, partition));

    /// <summary>
    /// The current watermark: the minimum latest-event-time over active partitions; when every partition is idle,
    /// the maximum over all of them (nothing more is coming, so everything seen can close). <see cref="long.MinValue"/>
    /// before any point was seen.
    /// </summary>
    public long Current
    {
        get
        {
            if (_partitions.Count == 0)
            {
                return long.MinValue;
            }

            var now = _time.GetTimestamp();
            var stalled = InputPending?.Invoke() == true;
            var minActive = long.MaxValue;
            var maxAll = long.MinValue;
            // Partitions that never delivered count only while they are not idle.
            foreach (var (_, state) in _partitions)
            {
                maxAll = Math.Max(maxAll, state.MaxEventNs);
                if (now - state.LastSeenTicks < _idleTicks || (stalled && state.MaxEventNs != long.MinValue && _lastAnyTicks - state.LastSeenTicks < _idleTicks))
                {
                    minActive = Math.Min(minActive, state.MaxEventNs);
                }
            }

            return minActive == long.MaxValue ? maxAll : minActive;
        }
    }
}
