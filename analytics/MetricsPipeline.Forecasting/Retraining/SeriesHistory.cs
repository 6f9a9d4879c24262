using MetricsPipeline.Forecasting.Streaming;

namespace MetricsPipeline.Forecasting.Retraining;

/// <summary>
/// The values of one forecast series read back from the window history, one per window, oldest first, with short
/// gaps filled by the last value exactly as the stream fills them (so a model fitted here continues the stream's
/// series).
/// </summary>
/// <param name="Series">Index of the series configuration.</param>
/// <param name="Group">The group tag's value.</param>
/// <param name="SeriesKey">The series key.</param>
/// <param name="StartNs">Window starts (Unix ns).</param>
/// <param name="Values">Values, aligned with <paramref name="StartNs"/>.</param>
public sealed record SeriesHistory(int Series, string Group, string SeriesKey, long[] StartNs, double[] Values)
{
    /// <summary>
    /// Which windows were observed (true) and which were filled in for a gap (false), aligned with <see cref="Values"/>;
    /// empty (the default) when every window was observed. The tuner and the backtest make and score forecasts at
    /// observed windows only (the <c>real</c> mask of <see cref="Backtester.Run"/>).
    /// </summary>
    public bool[] Real { get; init; } = [];

    /// <summary>
    /// Splits <paramref name="observations"/> by series and cuts each into runs without a gap longer than
    /// <paramref name="maxGapSteps"/> windows of <paramref name="stepOf"/>(series index); keeps the last run with at
    /// least <paramref name="minPoints"/> values (the freshest usable data), else the longest run.
    /// </summary>
    public static List<SeriesHistory> Build(IEnumerable<SeriesObservation> observations, Func<int, TimeSpan> stepOf, int maxGapSteps, int minPoints = 0)
    {
        ArgumentNullException.ThrowIfNull(observations);
        ArgumentNullException.ThrowIfNull(stepOf);
        var result = new List<SeriesHistory>();
        foreach (var group in observations.GroupBy(o => o.SeriesKey, StringComparer.Ordinal))
        {
            var ordered = group.OrderBy(o => o.StartNs).ToList();
            var first = ordered[0];
            var stepNs = stepOf(first.Series).Ticks * 100;
            var starts = new List<long>();
            var values = new List<double>();
            var real = new List<bool>();
            var (bestStarts, bestValues, bestReal) = (starts, values, real);
            foreach (var o in ordered)
            {
                if (starts.Count > 0)
                {
                    var last = starts[^1];
                    if (o.StartNs <= last)
                    {
                        continue;
                    }

                    var missing = ((o.StartNs - last) / stepNs) - 1;
                    if (missing > maxGapSteps)
                    {
                        if (starts.Count >= Math.Max(minPoints, 1) || starts.Count > bestStarts.Count)
                        {
                            (bestStarts, bestValues, bestReal) = (starts, values, real);
                        }

                        starts = [];
                        values = [];
                        real = [];
                    }
                    else
                    {
                        var lastValue = values[^1];
                        for (long k = 1; k <= missing; k++)
                        {
                            starts.Add(last + (k * stepNs));
                            values.Add(lastValue);
                            real.Add(false);
                        }
                    }
                }

                starts.Add(o.StartNs);
                values.Add(o.Value);
                real.Add(true);
            }

            if (starts.Count < Math.Max(minPoints, 1) && bestStarts.Count > starts.Count)
            {
                (starts, values, real) = (bestStarts, bestValues, bestReal);
            }

            result.Add(new SeriesHistory(first.Series, first.Group, first.SeriesKey, [.. starts], [.. values]) { Real = real.Contains(false) ? [.. real] : [] });
        }

        result.Sort((a, b) => string.CompareOrdinal(a.SeriesKey, b.SeriesKey));
        return result;
    }
}
