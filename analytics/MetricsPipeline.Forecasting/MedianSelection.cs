namespace MetricsPipeline.Forecasting;

/// <summary>
/// The median (or any order statistic) of a small buffer in O(n) without allocating (Hoare selection with a
/// median-of-three pivot): the median-naive part of a forecast combination runs it at every forecast, and the
/// predictive scaling policy's error calibrator takes its quantiles with it.
/// </summary>
public static class MedianSelection
{
    /// <summary>
    /// The median of <paramref name="values"/> (reordered in place; must be non-empty and free of NaN): the middle
    /// value, or the mean of the two middle values when the length is even. The result depends only on the multiset of
    /// values, not on their order.
    /// </summary>
    public static double Median(Span<double> values)
    {
        int n = values.Length;
        int half = n / 2;
        double upper = Select(values, half);
        if ((n & 1) == 1)
        {
            return upper;
        }

        // Selection leaves every value below index half no greater than the selected one: the lower middle is their maximum.
        double lower = values[0];
        for (int i = 1; i < half; i++)
        {
            lower = Math.Max(lower, values[i]);
        }

        return 0.5 * (lower + upper);
    }

    /// <summary>Reorders <paramref name="values"/> so index <paramref name="k"/> holds the k-th smallest value, and returns it.</summary>
    public static double Select(Span<double> values, int k)
    {
        int lo = 0;
        int hi = values.Length - 1;
        while (hi > lo)
        {
            int mid = lo + ((hi - lo) / 2);
            double a = values[lo];
            double b = values[mid];
            double c = values[hi];
            double pivot = Math.Max(Math.Min(a, b), Math.Min(Math.Max(a, b), c));
            int i = lo;
            int j = hi;
            while (i <= j)
            {
                while (values[i] < pivot)
                {
                    i++;
                }

                while (values[j] > pivot)
                {
                    j--;
                }

                if (i <= j)
                {
                    (values[i], values[j]) = (values[j], values[i]);
                    i++;
                    j--;
                }
            }

            // Now values[lo..j] ≤ pivot ≤ values[i..hi], and everything strictly between j and i equals the pivot.
            if (k <= j)
            {
                hi = j;
            }
            else if (k >= i)
            {
                lo = i;
            }
            else
            {
                return values[k];
            }
        }

        return values[k];
    }
}
