using CsCheck;
using MetricsPipeline.Sinks.Batching;
using Xunit;

namespace MetricsPipeline.Sinks.Tests.Batching;

public sealed class RetryBackoffTests
{
    [Fact]
    public void WhenAttemptsGrowThenTheUpperBoundDoublesUntilTheCap()
    {
        var bounds = Enumerable.Range(0, 10).Select(a => RetryBackoff.UpperBound(a, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(30)).TotalMilliseconds).ToArray();

        Assert.Equal([200, 400, 800, 1600, 3200, 6400, 12800, 25600, 30000, 30000], bounds);
    }

    [Fact]
    public void WhenAnyAttemptAndJitterThenTheDelayLiesBetweenZeroAndTheCappedBound()
    {
        Gen.Select(Gen.Int[0, 10_000], Gen.Double[0, 1], Gen.Int[1, 10_000], Gen.Int[1, 100_000]).Sample((attempt, jitter, initialMs, extraMs) =>
        {
            var initial = TimeSpan.FromMilliseconds(initialMs);
            var max = initial + TimeSpan.FromMilliseconds(extraMs);
            var delay = RetryBackoff.Compute(attempt, initial, max, jitter);
            return delay >= TimeSpan.Zero
                && delay <= RetryBackoff.UpperBound(attempt, initial, max)
                && RetryBackoff.UpperBound(attempt, initial, max) <= max
                && RetryBackoff.UpperBound(attempt + 1, initial, max) >= RetryBackoff.UpperBound(attempt, initial, max);
        });
    }
}
