using MetricsPipeline.Anomaly.Nab;
using Xunit;

namespace MetricsPipeline.Anomaly.Tests;

public sealed class NabScorerTests
{
    private static NabFile File(int n, params NabWindow[] windows) =>
        new("f.csv", Enumerable.Range(0, n).Select(i => DateTime.UnixEpoch.AddMinutes(i)).ToList(), new double[n], windows);

    private static double[] Detections(int n, params int[] rows)
    {
        var s = new double[n];
        foreach (var r in rows)
        {
            s[r] = 1;
        }

        return s;
    }

    [Theory]
    [InlineData(-1.0, 0.98661)]
    [InlineData(-0.5, 0.84828)]
    [InlineData(0.0, 0.0)]
    [InlineData(1.0, -0.98661)]
    [InlineData(3.5, -1.0)]
    public void WhenTheScaledSigmoidIsEvaluatedThenItMatchesNabsReferenceValues(double y, double expected) =>
        Assert.Equal(expected, NabScorer.ScaledSigmoid(y), 5);

    [Fact]
    public void WhenTheFirstRowOfAWindowIsDetectedThenTheFileEarnsExactlyTheTruePositiveWeight()
    {
        var file = File(20, new NabWindow(10, 13));
        var score = NabScorer.ScoreFile(file, Detections(20, 10, 11, 12), NabProfile.Standard, 0.5);
        Assert.Equal(1.0, score.Score, 12);
        Assert.Equal(3, score.TruePositives);
        Assert.Equal(1, score.FalseNegatives);
    }

    [Fact]
    public void WhenOnlyTheLastRowOfAWindowIsDetectedThenTheCreditIsSigmaOfMinusOneOverWidth()
    {
        var file = File(20, new NabWindow(10, 13));
        var score = NabScorer.ScoreFile(file, Detections(20, 13), NabProfile.Standard, 0.5);
        var expected = Math.Tanh(0.625) / Math.Tanh(2.5); // sigma(-1/4) / sigma(-1); sigma(y) = tanh(-5y/2)
        Assert.Equal(expected, score.Score, 12);
        Assert.Equal(0.56212, score.Score, 5);
    }

    [Fact]
    public void WhenFalsePositivesFallBeforeAndAfterTheWindowThenEachCostsItsWeightedFalsePositiveWeight()
    {
        // Row 1 is in the probation period (P = floor(0.15 * 20) = 3) and is ignored; row 5 precedes the window and costs
        // -A_FP; row 15 follows it: y = |13 - 15| / (4 - 1) and the cost is A_FP * sigma(2/3). The window is missed: -A_FN.
        var file = File(20, new NabWindow(10, 13));
        var score = NabScorer.ScoreFile(file, Detections(20, 1, 5, 15), NabProfile.Standard, 0.5);
        var expected = -0.11 + (0.11 * -Math.Tanh(5.0 / 3.0)) - 1.0;
        Assert.Equal(expected, score.Score, 12);
        Assert.Equal(2, score.FalsePositives);
        Assert.Equal(-1.21242, score.Score, 5);
    }

    [Fact]
    public void WhenAFalsePositiveIsFarPastTheWindowThenItCostsTheFullFalsePositiveWeight()
    {
        var file = File(40, new NabWindow(10, 13));
        var score = NabScorer.ScoreFile(file, Detections(40, 10, 30), NabProfile.RewardLowFp, 0.5);
        Assert.Equal(1.0 - 0.22, score.Score, 12);
    }

    [Fact]
    public void WhenTheThresholdIsOptimisedThenTheBestCorpusTotalWinsAndTiesKeepTheHigherThreshold()
    {
        var files = new[] { File(20, new NabWindow(10, 13)), File(20) };
        var a = new double[20];
        a[10] = 0.9; // the window's first row
        a[5] = 0.95; // a false positive, costs 0.11 but does not stop the window from paying 1
        var b = new double[20];
        b[8] = 0.3; // a false positive in a file without windows
        var (threshold, total) = NabScorer.OptimizeThreshold(files, [a, b], NabProfile.Standard);
        Assert.Equal(0.9, threshold);
        Assert.Equal(1.0 - 0.11, total, 12);

        // All-equal scores: every distinct value ties with "no detection" only if nothing helps; then 1.1 wins.
        var (none, nullTotal) = NabScorer.OptimizeThreshold(files, [new double[20], b], NabProfile.Standard);
        Assert.Equal(1.1, none);
        Assert.Equal(-1.0, nullTotal, 12);
    }

    [Fact]
    public void WhenTheOptimiserChoosesAThresholdThenScoringEachFileAtItReproducesTheTotal()
    {
        var files = new[] { File(30, new NabWindow(10, 13), new NabWindow(20, 24)), File(30, new NabWindow(15, 18)) };
        var random = new Random(7);
        var scores = files.Select(f => Enumerable.Range(0, 30).Select(_ => random.NextDouble()).ToArray()).ToArray();
        var (threshold, total) = NabScorer.OptimizeThreshold(files, scores, NabProfile.RewardLowFn);
        var sum = files.Select((f, i) => NabScorer.ScoreFile(f, scores[i], NabProfile.RewardLowFn, threshold).Score).Sum();
        Assert.Equal(total, sum, 9);
        foreach (var t in scores.SelectMany(s => s))
        {
            var other = files.Select((f, i) => NabScorer.ScoreFile(f, scores[i], NabProfile.RewardLowFn, t).Score).Sum();
            Assert.True(other <= total + 1e-9);
        }
    }

    [Theory]
    [InlineData(-34.0, 0.0)]
    [InlineData(34.0, 100.0)]
    [InlineData(0.0, 50.0)]
    public void WhenARawScoreIsNormalisedThenNullIsZeroAndPerfectIsHundred(double raw, double expected) =>
        Assert.Equal(expected, NabScorer.Normalize(raw, 34, NabProfile.Standard), 12);

    [Fact]
    public void WhenTheLowFnProfileNormalisesThenTheNullScoreUsesTwiceTheWindows() =>
        Assert.Equal(100.0 * (0 + 68) / (34 + 68), NabScorer.Normalize(0, 34, NabProfile.RewardLowFn), 12);
}
