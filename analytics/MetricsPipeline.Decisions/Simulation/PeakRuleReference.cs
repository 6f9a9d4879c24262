namespace MetricsPipeline.Decisions.Simulation;

/// <summary>
/// A reference for the policies that is tuned with hindsight but sees only the past: the capacity rule
/// "factor × the largest load of the last <em>window</em> minutes, as known one start-up delay ago", with the window and
/// the factor chosen knowing the whole trace, as the cheapest of those that violate the SLO in no more minutes than
/// allowed. Billed like the oracle (the rule's count each minute, no start-up minutes). A policy cheaper than it at the
/// same violation minutes does better than every rule of that family, however its two numbers were chosen; one
/// dearer leaves a margin that such a simple causal rule already shows is reachable. Not thread-safe.
/// </summary>
internal static class PeakRuleReference
{
    /// <summary>The windows tried, in minutes (steps).</summary>
    public static readonly int[] Windows = [5, 10, 15, 30, 60, 120, 240];

    // Factors on a grid of 0.001 from 0.5 to 5: finer than the cost steps of whole instances, and the
    // violations fall monotonically as the factor grows, so a bisection over the grid finds the smallest that fits.
    private const int MinFactorThousandths = 500;
    private const int MaxFactorThousandths = 5000;

    /// <summary>The cheapest rule (cost, window, factor, violation minutes); null when none keeps within <paramref name="maxViolations"/>.</summary>
    /// <param name="load">Load per step.</param>
    /// <param name="delaySteps">Start-up delay in steps: the rule at step i sees loads up to step i − delay.</param>
    /// <param name="size">Instances for a load (the oracle's sizing, at the SLO's utilisation).</param>
    /// <param name="minutes">A fresh accumulator per evaluation (cost and violations of a count sequence).</param>
    /// <param name="maxViolations">The violation minutes allowed.</param>
    public static (double Cost, int Window, double Factor, int Violations)? Cheapest(
        double[] load, int delaySteps, Func<double, int> size, Func<RunAccumulator> minutes, int maxViolations)
    {
        ArgumentNullException.ThrowIfNull(load);
        (double Cost, int Window, double Factor, int Violations)? best = null;
        if (load.Length == 0)
        {
            return best;
        }

        foreach (int window in Windows)
        {
            double[] peak = LaggedPeaks(load, window, delaySteps);
            int lo = MinFactorThousandths;
            int hi = MaxFactorThousandths;
            var top = Evaluate(load, peak, hi / 1000.0, size, minutes);
            if (top.Violations > maxViolations)
            {
                continue;
            }

            var fit = top;
            while (lo < hi)
            {
                int mid = (lo + hi) / 2;
                var run = Evaluate(load, peak, mid / 1000.0, size, minutes);
                if (run.Violations <= maxViolations)
                {
                    (hi, fit) = (mid, run);
                }
                else
                {
                    lo = mid + 1;
                }
            }

            if (best is null || fit.Cost < best.Value.Cost)
            {
                best = (fit.Cost, window, hi / 1000.0, fit.Violations);
            }
        }

        return best;
    }

    private static (double Cost, int Violations) Evaluate(double[] load, double[] peak, double factor, Func<double, int> size, Func<RunAccumulator> minutes)
    {
        var run = minutes();
        for (int i = 0; i < load.Length; i++)
        {
            int n = size(factor * peak[i]);
            run.Add(n, n, load[i]);
        }

        return (run.Cost, run.Violations);
    }

    /// <summary>
    /// For each step i the largest load of steps i − delay − window + 1 … i − delay (a monotonic deque, O(n)); the
    /// first load where that range starts before the trace.
    /// </summary>
    private static double[] LaggedPeaks(double[] load, int window, int delay)
    {
        var peaks = new double[load.Length];
        var deque = new int[load.Length];
        int head = 0;
        int tail = 0;
        int added = -1;
        for (int i = 0; i < load.Length; i++)
        {
            int newest = i - delay;
            if (newest < 0)
            {
                peaks[i] = load[0];
                continue;
            }

            while (added < newest)
            {
                added++;
                while (tail > head && load[deque[tail - 1]] <= load[added])
                {
                    tail--;
                }

                deque[tail++] = added;
            }

            while (deque[head] <= newest - window)
            {
                head++;
            }

            peaks[i] = load[deque[head]];
        }

        return peaks;
    }
}
