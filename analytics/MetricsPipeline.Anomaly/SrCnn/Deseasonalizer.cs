namespace MetricsPipeline.Anomaly.SrCnn;

/// <summary>Estimates a periodic component of a batch so SR-CNN entire can score the remainder.</summary>
internal static class Deseasonalizer
{
    /// <summary>Writes the seasonal component of <paramref name="values"/> with the given period into <paramref name="seasonal"/>.</summary>
    public static void Seasonal(ReadOnlySpan<double> values, int period, SrCnnDeseasonalityMode mode, Span<double> seasonal)
    {
        var n = values.Length;
        if (period < 2 || period > n / 2)
        {
            seasonal.Clear();
            return;
        }

        var basis = new double[n];
        values.CopyTo(basis);
        if (mode == SrCnnDeseasonalityMode.Stl)
        {
            // Remove a centred moving-average trend of one period first, so the phase medians are seasonal only.
            var trend = new double[n];
            for (var i = 0; i < n; i++)
            {
                var from = Math.Max(0, i - (period / 2));
                var to = Math.Min(n - 1, i + (period / 2));
                double sum = 0;
                for (var j = from; j <= to; j++)
                {
                    sum += values[j];
                }

                trend[i] = sum / (to - from + 1);
            }

            for (var i = 0; i < n; i++)
            {
                basis[i] -= trend[i];
            }
        }

        var phase = new List<double>();
        var component = new double[period];
        for (var p = 0; p < period; p++)
        {
            phase.Clear();
            for (var i = p; i < n; i += period)
            {
                phase.Add(basis[i]);
            }

            component[p] = mode == SrCnnDeseasonalityMode.Mean ? phase.Average() : Median(phase);
        }

        var level = component.Average();
        for (var i = 0; i < n; i++)
        {
            seasonal[i] = component[i % period] - level;
        }
    }

    public static double Median(List<double> values)
    {
        values.Sort();
        var m = values.Count / 2;
        return values.Count % 2 == 1 ? values[m] : (values[m - 1] + values[m]) / 2;
    }
}
