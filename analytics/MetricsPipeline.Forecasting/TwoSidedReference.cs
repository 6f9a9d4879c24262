namespace MetricsPipeline.Forecasting;

/// <summary>
/// A non-causal reference for a backtest step: each test row is estimated by the median of the values at least
/// <c>step</c> rows before it and at least <c>step</c> rows after it (<c>span</c> values on each side). It knows the
/// future, so it is not a forecaster; it tells how much of a series' error at that distance is noise that no
/// estimate from the neighbourhood removes. It is not a lower bound: a model that uses a pattern beyond the
/// neighbourhood (a daily season) can beat it. But where a series has no such pattern and even this reference scores
/// a MASE at or above 1, a forecaster, which sees only the earlier side, would have to predict the noise itself to
/// score below 1 at that step.
/// </summary>
public static class TwoSidedReference
{
    /// <summary>The values per side tried; the lowest error among them is reported.</summary>
    public static IReadOnlyList<int> Spans { get; } = [1, 2, 4, 8, 16, 32, 64];

    /// <summary>
    /// The lowest MASE over <see cref="Spans"/> of the two-sided median estimate of every finite row from
    /// <paramref name="firstTarget"/> on that has at least one finite value on each side.
    /// </summary>
    /// <param name="series">The full series (NaN = missing).</param>
    /// <param name="firstTarget">First row evaluated (the backtest's first target at this step).</param>
    /// <param name="step">Distance in rows to the nearest value used on each side (the horizon step), ≥ 1.</param>
    /// <param name="scale">The MASE scale (in-sample seasonal-naive MAE of the training rows).</param>
    /// <returns>The MASE and the span that gave it; (NaN, 0) when no row can be estimated.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="step"/> is below 1.</exception>
    public static (double Mase, int Span) Compute(ReadOnlySpan<double> series, int firstTarget, int step, double scale)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(step, 1);
        double best = double.NaN;
        int bestSpan = 0;
        var window = new double[2 * Spans.Max()];
        foreach (int span in Spans)
        {
            double sum = 0;
            int count = 0;
            for (int t = Math.Max(0, firstTarget); t + step < series.Length; t++)
            {
                if (!double.IsFinite(series[t]))
                {
                    continue;
                }

                int before = Collect(series, t - step - span + 1, t - step, window, 0);
                int after = Collect(series, t + step, t + step + span - 1, window, before);
                if (before == 0 || after == before)
                {
                    continue;
                }

                sum += Math.Abs(series[t] - Median(window.AsSpan(0, after)));
                count++;
            }

            double mase = count == 0 ? double.NaN : sum / count / scale;
            if (double.IsFinite(mase) && !(mase >= best))
            {
                best = mase;
                bestSpan = span;
            }
        }

        return (best, bestSpan);
    }

    /// <summary>Copies the finite values of rows [from, to] (clipped to the series) into <paramref name="window"/> at <paramref name="at"/>; returns the new fill.</summary>
    private static int Collect(ReadOnlySpan<double> series, int from, int to, double[] window, int at)
    {
        for (int i = Math.Max(0, from); i <= Math.Min(series.Length - 1, to); i++)
        {
            if (double.IsFinite(series[i]))
            {
                window[at++] = series[i];
            }
        }

        return at;
    }

    private static double Median(Span<double> values)
    {
        values.Sort();
        int n = values.Length;
        return n % 2 == 1 ? values[n / 2] : (values[(n / 2) - 1] + values[n / 2]) / 2;
    }
}
