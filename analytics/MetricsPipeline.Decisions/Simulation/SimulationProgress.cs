using System.Globalization;

namespace MetricsPipeline.Decisions.Simulation;

/// <summary>
/// Progress of a long simulation run as text lines: at most one per <c>every</c> of elapsed time, so short runs (the
/// development traces take under a second) print nothing and a year of minutes (≈ 10 s for the predictive policy)
/// shows it is alive. Feed it every step from <see cref="ClosedLoopSimulator.Run"/>'s <c>onMinute</c>. Not thread-safe.
/// </summary>
public sealed class SimulationProgress
{
    private readonly TextWriter _writer;
    private readonly string _label;
    private readonly long _totalSteps;
    private readonly TimeProvider _time;
    private readonly TimeSpan _every;
    private long _last;

    /// <summary>Creates a reporter; the clock starts now.</summary>
    /// <param name="writer">Where the lines go (the CLI uses standard error, so standard output keeps only the result).</param>
    /// <param name="label">What runs, e.g. <c>predictive on speed_7578</c>.</param>
    /// <param name="totalSteps">Steps in the run (the resampled trace's length).</param>
    /// <param name="time">The clock.</param>
    /// <param name="every">Least time between two lines. Must be positive.</param>
    public SimulationProgress(TextWriter writer, string label, long totalSteps, TimeProvider time, TimeSpan every)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(every, TimeSpan.Zero);
        _writer = writer;
        _label = label ?? string.Empty;
        _totalSteps = Math.Max(1, totalSteps);
        _time = time;
        _every = every;
        _last = time.GetTimestamp();
    }

    /// <summary>Notes that <paramref name="step"/> (0-based) was simulated; writes a line when <c>every</c> has passed since the last one.</summary>
    public void Report(long step)
    {
        long now = _time.GetTimestamp();
        if (_time.GetElapsedTime(_last, now) < _every)
        {
            return;
        }

        _last = now;
        long done = Math.Min(step + 1, _totalSteps);
        _writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{_label}: {done}/{_totalSteps} steps ({100.0 * done / _totalSteps:0} %)"));
    }
}
