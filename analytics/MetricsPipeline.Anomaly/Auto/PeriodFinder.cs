namespace MetricsPipeline.Anomaly.Auto;

/// <summary>Finds a seasonal period by autocorrelation: the lag of the highest local ACF peak above a minimum.</summary>
internal static class PeriodFinder
{
    /// <summary>Returns the period in rows, or 0 when no lag in [4, maxPeriod] correlates at least <paramref name="minCorrelation"/>.</summary>
    public static int Find(ReadOnlySpan<double> values, int maxPeriod, double minCorrelation)
    {
        var n = values.Length;
        maxPeriod = Math.Min(maxPeriod, n / 3);
        if (maxPeriod < 4)
        {
            return 0;
        }

        double mean = 0;
        foreach (var v in values)
        {
            mean += v;
        }

        mean /= n;
        double variance = 0;
        foreach (var v in values)
        {
            variance += (v - mean) * (v - mean);
        }

        if (variance <= 1e-12)
        {
            return 0;
        }

        var best = 0;
        var bestAcf = minCorrelation;
        double previous = 1, beforePrevious = 1;
        for (var lag = 1; lag <= maxPeriod + 1; lag++)
        {
            double sum = 0;
            for (var i = lag; i < n; i++)
            {
                sum += (values[i] - mean) * (values[i - lag] - mean);
            }

            var acf = sum / variance * n / (n - lag);
            var peakLag = lag - 1;
            if (peakLag >= 4 && previous > beforePrevious && previous >= acf && previous > bestAcf)
            {
                best = peakLag;
                bestAcf = previous;
            }

            beforePrevious = previous;
            previous = acf;
        }

        return best;
    }
}
