namespace MetricsPipeline.Anomaly.Streaming;

/// <summary>
/// The open → resolved lifecycle of one (series, detector) alert, in event time. Deduplication: while an alert is open,
/// further anomalous windows publish nothing unless the severity rises or <c>renotifyInterval</c> has passed since the
/// last notification. Minimum re-alert interval: a new episode does not open within <c>minimumReAlertInterval</c> of the
/// previous episode's opening unless it is more severe than that episode (a flapping series pages once). An open alert resolves after <c>resolveAfter</c>
/// consecutive normal windows. Not thread-safe.
/// </summary>
public sealed partial class AlertLifecycle
{
    private readonly long _renotifyNs;
    private readonly long _minimumReAlertNs;
    private readonly int _resolveAfter;
    private long _lastOpenNs = long.MinValue;
    private long _lastNotifiedNs;
    private int _quietWindows;

    /// <summary>Creates a closed lifecycle.</summary>
    /// <param name="renotifyInterval">Repeat an unchanged open alert after this much event time.</param>
    /// <param name="minimumReAlertInterval">Do not open a new episode sooner than this after the previous one opened.</param>
    /// <param name="resolveAfter">Normal windows in a row that resolve an open alert (at least 1).</param>
    public AlertLifecycle(TimeSpan renotifyInterval, TimeSpan minimumReAlertInterval, int resolveAfter)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(resolveAfter, 1);
        _renotifyNs = renotifyInterval.Ticks * 100;
        _minimumReAlertNs = minimumReAlertInterval.Ticks * 100;
        _resolveAfter = resolveAfter;
    }

    /// <summary>Whether an alert is open.</summary>
    public bool IsOpen { get; private set; }

    /// <summary>Event time (Unix ns) at which the open alert's episode started.</summary>
    public long OpenedAtNs { get; private set; }

    /// <summary>The highest severity (0 = none) of the open or, once resolved, the last episode.</summary>
    public int Severity { get; private set; }

    /// <summary>Advances by one window.</summary>
    /// <param name="timeNs">The window start, Unix ns (non-decreasing).</param>
    /// <param name="severity">0 for a normal window, else a severity level (higher is worse).</param>
    public AlertTransition Step(long timeNs, int severity)
    {
        if (severity > 0)
        {
            _quietWindows = 0;
            if (!IsOpen)
            {
                // A worse condition than the previous episode's is never held back (a traffic spike right after a warning).
                if (_lastOpenNs != long.MinValue && timeNs - _lastOpenNs < _minimumReAlertNs && severity <= Severity)
                {
                    return AlertTransition.None;
                }

                IsOpen = true;
                OpenedAtNs = timeNs;
                Severity = severity;
                _lastOpenNs = timeNs;
                _lastNotifiedNs = timeNs;
                return AlertTransition.Open;
            }

            if (severity > Severity || timeNs - _lastNotifiedNs >= _renotifyNs)
            {
                Severity = Math.Max(Severity, severity);
                _lastNotifiedNs = timeNs;
                return AlertTransition.Renotify;
            }

            return AlertTransition.None;
        }

        if (IsOpen && ++_quietWindows >= _resolveAfter)
        {
            IsOpen = false;
            _quietWindows = 0;
            return AlertTransition.Resolve;
        }

        return AlertTransition.None;
    }
}
