using MetricsPipeline.Decisions.Scaling;
using Xunit;

namespace MetricsPipeline.Decisions.Tests;

/// <summary>
/// The candidates' loss window (issue 6, session 9): a score leaves it exactly when it leaves the window, a burst in one
/// of several segments does not decide it while a miss in every segment does, the running sums do not drift, and a
/// checkpoint continues bit for bit.
/// </summary>
public sealed class WindowMeanTests
{
    [Fact]
    public void WhenASpikeIsOlderThanTheWindowThenTheMeanHasForgottenItExactly()
    {
        var window = new WindowMean(10);
        for (var i = 0; i < 25; i++)
        {
            window.Add(1);
        }

        window.Add(1e6);
        for (var i = 0; i < 9; i++)
        {
            window.Add(1);
            Assert.True(window.Mean > 1000, $"after {i + 1} scores: {window.Mean}");
        }

        window.Add(1);
        Assert.Equal(1.0, window.Mean);
        Assert.Equal(10, window.Count);
    }

    [Fact]
    public void WhenABurstFillsOneOfThreeSegmentsThenTheMedianIgnoresItButAMissInEverySegmentCounts()
    {
        var burst = new WindowMean(10, 3);
        var recurring = new WindowMean(10, 3);
        for (var i = 0; i < 30; i++)
        {
            // The burst: five huge scores in the middle segment. The recurring miss: one large score per segment.
            burst.Add(i is >= 12 and < 17 ? 1e6 : 1);
            recurring.Add(i % 10 == 3 ? 101 : 1);
        }

        Assert.Equal(1.0, burst.Mean);
        Assert.Equal(11.0, recurring.Mean, 12);
    }

    [Fact]
    public void WhenOnlyTheNewestSegmentHasScoresThenItsMeanIsTheAggregateAndOlderSegmentsJoinWhenFull()
    {
        var window = new WindowMean(4, 3);
        Assert.True(double.IsNaN(window.Mean));
        window.Add(2);
        window.Add(4);
        Assert.Equal(3.0, window.Mean);
        foreach (var score in (double[])[2, 4, 10])
        {
            window.Add(score);
        }

        // Segment 0 holds 4, 2, 4, 10 (mean 5); segment 1 holds the first score only and is not counted yet.
        Assert.Equal(5.0, window.Mean);
        for (var i = 0; i < 3; i++)
        {
            window.Add(10);
        }

        // Segment 0: 10, 10, 10, 10; segment 1 (full): 2, 4, 2, 4 → the mean of the two means.
        Assert.Equal(6.5, window.Mean);
    }

    [Fact]
    public void WhenScoresOfVeryDifferentSizesStreamForManyPassesThenTheMeanMatchesAFreshSumOfTheWindow()
    {
        // Segments of 48 scores in 24 buckets of 2: after an even number of scores the segments are exactly the last
        // 48, the 48 before them and the 48 before those.
        var window = new WindowMean(48, 3);
        var all = new List<double>();
        var random = new Random(6);
        for (var i = 0; i < 20_000; i++)
        {
            // Rare scores a billion times the others: a running sum that adds and subtracts them loses the small ones.
            var score = i % 997 == 0 ? 1e9 * random.NextDouble() : random.NextDouble();
            window.Add(score);
            all.Add(score);
        }

        var means = Enumerable.Range(0, 3).Select(s => all.Skip(all.Count - ((s + 1) * 48)).Take(48).Average()).Order().ToArray();
        Assert.Equal(means[1], window.Mean, means[1] * 1e-12);
        Assert.Equal(144, window.Count);
    }

    [Fact]
    public void WhenASegmentIsLongerThan24ScoresThenItIsKeptInBucketsAndASpikeLeavesWithItsBucket()
    {
        // A day of 1-minute scores: 24 complete hourly buckets plus the hour in progress. The spike leaves with its hour,
        // 1,440–1,499 scores later (here it is the 21st score of its hour: 39 to complete it, then 24 more hours).
        var window = new WindowMean(1440);
        for (var i = 0; i < 2000; i++)
        {
            window.Add(1);
        }

        window.Add(1e6);
        var left = 0;
        while (window.Mean > 1)
        {
            window.Add(1);
            left++;
        }

        Assert.Equal(39 + 1440, left);
        Assert.Equal(1440, window.Capacity);
        Assert.Equal(60, new WindowMean(59).Capacity); // 20 buckets of 3: less than one bucket over
        Assert.Equal(24, new WindowMean(24).Capacity); // up to 24: single scores, forgotten exactly
    }

    [Fact]
    public void WhenAWindowIsRestoredThenItContinuesBitForBit()
    {
        var original = new WindowMean(7, 3);
        var random = new Random(9);
        for (var i = 0; i < 40; i++)
        {
            original.Add(random.NextDouble() * (i % 13 == 0 ? 1e6 : 1));
        }

        var restored = new WindowMean(7, 3);
        restored.Restore(Reader(Save(original)));
        Assert.Equal(Save(original), Save(restored));
        for (var i = 0; i < 50; i++)
        {
            var score = random.NextDouble() * (i % 11 == 0 ? 1e6 : 1);
            original.Add(score);
            restored.Add(score);
            Assert.Equal(BitConverter.DoubleToInt64Bits(original.Mean), BitConverter.DoubleToInt64Bits(restored.Mean));
        }

        Assert.Equal(Save(original), Save(restored));
        Assert.Throws<FormatException>(() => new WindowMean(7, 2).Restore(Reader(Save(original))));
        var skipped = Reader([.. Save(original), 42]);
        WindowMean.Skip(skipped);
        Assert.Equal(42, skipped.ReadByte());
    }

    [Fact]
    public void WhenAWindowIsSeededThenItHoldsThatMeanUntilNewScoresReplaceIt()
    {
        var window = new WindowMean(5, 2);
        window.Seed(3, 100);
        Assert.Equal(10, window.Count);
        Assert.Equal(3.0, window.Mean);
        for (var i = 0; i < 10; i++)
        {
            window.Add(1);
        }

        Assert.Equal(1.0, window.Mean);
        window.Seed(double.NaN, 4);
        Assert.Equal(0, window.Count);
    }

    [Fact]
    public void WhenACandidateHadAnIncidentThenItsSlidingLossForgetsItAfterTheWindowButTheExponentialOneDoesNot()
    {
        // Two candidates at q = 0.96: "steady" always 10 % over (excess, cheap), "spiked" exact except one 1000-unit
        // shortfall. The sliding loss picks "spiked" again 24 scores after the incident (a window of up to 24 scores keeps
        // single scores); the exponential mean over the same 24 scores still prefers "steady" many windows later.
        const int window = 24;
        var sliding = (Steady: Candidate(window), Spiked: Candidate(window));
        var exponential = (Steady: Candidate(0), Spiked: Candidate(0));
        int? slidingBack = null;
        int? exponentialBack = null;
        const int incident = 2 * window;
        for (var i = 0; i < 10 * window; i++)
        {
            var realized = 100.0;
            var spikedBound = i == incident ? realized - 1000 : realized;
            foreach (var (steady, spiked) in new[] { sliding, exponential })
            {
                steady.AddLeadLoss(110, realized, 0.96, window);
                spiked.AddLeadLoss(spikedBound, realized, 0.96, window);
            }

            if (i > incident)
            {
                slidingBack ??= sliding.Spiked.LeadLoss < sliding.Steady.LeadLoss ? i - incident : null;
                exponentialBack ??= exponential.Spiked.LeadLoss < exponential.Steady.LeadLoss ? i - incident : null;
            }
        }

        Assert.Equal(window, slidingBack);
        Assert.True(exponentialBack is null or > 2 * window, $"the exponential loss forgot after {exponentialBack} scores");
    }

    private static LoadPredictor Candidate(int lossWindow) => new(0.1, 0, usesForecaster: false, samples: 60, lossWindow: lossWindow);

    private static byte[] Save(WindowMean window)
    {
        using var stream = new MemoryStream();
        using (var w = new BinaryWriter(stream))
        {
            window.Save(w);
        }

        return stream.ToArray();
    }

    private static BinaryReader Reader(byte[] bytes) => new(new MemoryStream(bytes));
}
