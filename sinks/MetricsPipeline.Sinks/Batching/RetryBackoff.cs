namespace MetricsPipeline.Sinks.Batching;

/// <summary>Capped exponential backoff with full jitter (AWS architecture blog's "full jitter"). Pure and thread-safe.</summary>
public static class RetryBackoff
{
    /// <summary>
    /// Returns the delay before retry number <paramref name="attempt"/>: a uniform draw from
    /// [0, min(<paramref name="max"/>, <paramref name="initial"/> × 2^attempt)).
    /// </summary>
    /// <param name="attempt">0 for the first retry, 1 for the second, and so on.</param>
    /// <param name="initial">The upper bound of the first delay.</param>
    /// <param name="max">The cap on the upper bound.</param>
    /// <param name="jitter">A number in [0, 1], usually <see cref="Random.NextDouble"/>; 1 gives the upper bound.</param>
    /// <returns>The delay; never negative and never above <paramref name="max"/>.</returns>
    public static TimeSpan Compute(int attempt, TimeSpan initial, TimeSpan max, double jitter)
    {
        return TimeSpan.FromTicks((long)(UpperBound(attempt, initial, max).Ticks * Math.Clamp(jitter, 0.0, 1.0)));
    }

    /// <summary>The upper bound of the delay for retry number <paramref name="attempt"/>: min(max, initial × 2^attempt).</summary>
    /// <param name="attempt">0 for the first retry.</param>
    /// <param name="initial">The upper bound of the first delay.</param>
    /// <param name="max">The cap.</param>
    /// <returns>The bound.</returns>
    public static TimeSpan UpperBound(int attempt, TimeSpan initial, TimeSpan max)
    {
        if (initial <= TimeSpan.Zero || max <= TimeSpan.Zero)
        {
            return TimeSpan.Zero;
        }

        // Doubling past 2^40 overflows nothing useful; the cap has been reached long before.
        var exponent = Math.Clamp(attempt, 0, 40);
        var ticks = initial.Ticks * Math.Pow(2, exponent);
        return ticks >= max.Ticks ? max : TimeSpan.FromTicks((long)ticks);
    }
}
