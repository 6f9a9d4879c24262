using MetricsPipeline.Anomaly.Nab;
using Xunit;

namespace MetricsPipeline.Anomaly.Tests;

public sealed class NabCrossValidationTests
{
    private static NabFile File(string name, int n, params NabWindow[] windows) =>
        new(name, Enumerable.Range(0, n).Select(i => DateTime.UnixEpoch.AddMinutes(i)).ToList(), new double[n], windows);

    private static double[] Detections(int n, params int[] rows)
    {
        var s = new double[n];
        foreach (var r in rows)
        {
            s[r] = 1;
        }

        return s;
    }

    private static IReadOnlyList<NabFile> RandomCorpus(int files, int seed, out double[][] scores)
    {
        var random = new Random(seed);
        var corpus = new List<NabFile>();
        scores = new double[files][];
        for (var f = 0; f < files; f++)
        {
            var n = 200 + random.Next(200);
            var windows = new List<NabWindow>();
            var start = 60 + random.Next(20);
            while (start + 20 < n && random.NextDouble() < 0.7)
            {
                windows.Add(new NabWindow(start, start + 10 + random.Next(10)));
                start = windows[^1].End + 30 + random.Next(60);
            }

            corpus.Add(File($"c{f % 3}/f{f}.csv", n, [.. windows]));

            // Scores rounded to 0.05 so that ties between rows are common, as with real detectors.
            scores[f] = Enumerable.Range(0, n).Select(_ => Math.Round(Math.Pow(random.NextDouble(), 8) * 20) / 20).ToArray();
            foreach (var w in windows)
            {
                scores[f][w.Start + random.Next(w.Width)] = 0.5 + (random.Next(10) / 20.0);
            }
        }

        return corpus;
    }

    [Fact]
    public void WhenFoldsAreAssignedThenFilesInNameOrderAreDealtRoundRobin()
    {
        var files = new[] { File("b/2.csv", 10), File("a/1.csv", 10), File("b/1.csv", 10), File("a/2.csv", 10), File("c/1.csv", 10) };
        Assert.Equal(new[] { 1, 0, 0, 1, 0 }, NabCrossValidation.AssignFolds(files, 2));
        Assert.Equal(new[] { 3, 0, 2, 1, 4 }, NabCrossValidation.AssignFolds(files, 5));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(6)]
    public void WhenTheFoldCountIsOutOfRangeThenItIsRejected(int folds) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => NabCrossValidation.AssignFolds([.. Enumerable.Range(0, 5).Select(i => File($"{i}.csv", 10))], folds));

    [Fact]
    public void WhenAllFilesAreIncludedThenTheSweepEqualsNabsOptimizer()
    {
        var files = RandomCorpus(9, 5, out var scores);
        foreach (var profile in NabProfile.All)
        {
            var expected = NabScorer.OptimizeThreshold(files, scores, profile);
            var actual = new NabThresholdSweep(files, scores, profile).Optimize([.. Enumerable.Repeat(true, files.Count)]);
            Assert.Equal(expected.Threshold, actual.Threshold);
            Assert.Equal(expected.Total, actual.Total, 9);
        }
    }

    [Fact]
    public void WhenOneCandidateIsCrossValidatedThenEachFoldUsesNabsOptimumOnTheOtherFilesOnly()
    {
        var files = RandomCorpus(10, 9, out var scores);
        var folds = NabCrossValidation.AssignFolds(files, 4);
        var result = NabCrossValidation.Evaluate(files, [new NabCandidate("d", scores)], NabProfile.Standard, 4);
        double expectedTotal = 0;
        for (var k = 0; k < 4; k++)
        {
            var training = Enumerable.Range(0, files.Count).Where(f => folds[f] != k).ToArray();
            var (threshold, total) = NabScorer.OptimizeThreshold([.. training.Select(f => files[f])], [.. training.Select(f => scores[f])], NabProfile.Standard);
            var heldOut = Enumerable.Range(0, files.Count).Where(f => folds[f] == k).ToArray();
            var heldOutScore = heldOut.Sum(f => NabScorer.ScoreFile(files[f], scores[f], NabProfile.Standard, threshold).Score);
            var fold = result.FoldResults[k];
            Assert.Equal(threshold, fold.Threshold);
            Assert.Equal(total, fold.TrainingRawScore, 9);
            Assert.Equal(heldOutScore, fold.HeldOutRawScore, 9);
            Assert.Equal(heldOut.Select(f => files[f].Name), fold.HeldOut);
            expectedTotal += heldOutScore;
        }

        Assert.Equal(expectedTotal, result.RawScore, 9);
        Assert.Equal(NabScorer.Normalize(expectedTotal, files.Sum(f => f.Windows.Count), NabProfile.Standard), result.NormalizedScore, 9);
    }

    [Fact]
    public void WhenACandidateWinsOnlyOnTheHeldOutFileThenThatFoldCannotChooseIt()
    {
        // Three files, one window each at rows 20-23 (probation 6 rows). "good" hits the window's first row in files 0 and 1
        // only; "cheat" hits it in file 2 only. In-sample "good" is best (+1 +1 -1); leave-one-file-out must score file 2
        // with "good" (chosen on files 0 and 1) and so miss its window, while files 0 and 1 are held out against a tie
        // (0 vs 0) that the first candidate wins.
        var files = new[] { File("a/0.csv", 40, new NabWindow(20, 23)), File("a/1.csv", 40, new NabWindow(20, 23)), File("a/2.csv", 40, new NabWindow(20, 23)) };
        var good = new NabCandidate("good", [Detections(40, 20), Detections(40, 20), Detections(40)]);
        var cheat = new NabCandidate("cheat", [Detections(40), Detections(40), Detections(40, 20)]);
        var result = NabCrossValidation.Evaluate(files, [good, cheat], NabProfile.Standard, 3);
        Assert.Equal(new[] { "good", "good", "good" }, result.FoldResults.Select(f => f.Candidate));
        Assert.Equal(new[] { 1.0, 1.0, -1.0 }, result.FoldResults.Select(f => Math.Round(f.HeldOutRawScore, 9)));
        Assert.Equal(1.0, result.RawScore, 9);
        Assert.Equal(100.0 * 4 / 6, result.NormalizedScore, 9);
    }

    [Fact]
    public void WhenANeighbourBeatsTheDefaultByLessThanTheMarginThenTheDefaultIsKept()
    {
        // One window at rows 20-23 in each of three files. "default" detects row 21 (0.967 each: σ(-3/4)/σ(-1)), "neighbour"
        // row 20 (1.0 each), so the neighbour wins every pair of training files by 2 × 0.033: chosen with no margin,
        // not with a margin of 0.5 raw points.
        var files = new[] { File("a/0.csv", 40, new NabWindow(20, 23)), File("a/1.csv", 40, new NabWindow(20, 23)), File("a/2.csv", 40, new NabWindow(20, 23)) };
        var fallback = new NabCandidate("default", [Detections(40, 21), Detections(40, 21), Detections(40, 21)]);
        var neighbour = new NabCandidate("neighbour", [Detections(40, 20), Detections(40, 20), Detections(40, 20)]);
        var perWindow = NabScorer.ScaledSigmoid(-0.75) / NabScorer.ScaledSigmoid(-1);

        var plain = NabCrossValidation.Evaluate(files, [fallback, neighbour], NabProfile.Standard, 3, 0);
        Assert.Equal(new[] { "neighbour", "neighbour", "neighbour" }, plain.FoldResults.Select(f => f.Candidate));
        Assert.Equal(3.0, plain.RawScore, 9);

        var kept = NabCrossValidation.Evaluate(files, [fallback, neighbour], NabProfile.Standard, 3, 0.5);
        Assert.Equal(new[] { "default", "default", "default" }, kept.FoldResults.Select(f => f.Candidate));
        Assert.Equal(3 * perWindow, kept.RawScore, 9);

        // A margin below the training gap (2 × (1 - 0.967) ≈ 0.066) still lets the neighbour through.
        var small = NabCrossValidation.Evaluate(files, [fallback, neighbour], NabProfile.Standard, 3, 0.05);
        Assert.All(small.FoldResults, f => Assert.Equal("neighbour", f.Candidate));
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void WhenTheSelectionMarginIsInvalidThenEvaluationIsRejected(double margin)
    {
        var files = new[] { File("a.csv", 40), File("b.csv", 40) };
        Assert.Throws<ArgumentException>(() => NabCrossValidation.Evaluate(files, [new NabCandidate("x", [new double[40], new double[40]])], NabProfile.Standard, 2, margin));
    }

    [Fact]
    public void WhenCandidateScoresDoNotMatchTheFilesThenEvaluationIsRejected()
    {
        var files = new[] { File("a.csv", 40), File("b.csv", 40) };
        Assert.Throws<ArgumentException>(() => NabCrossValidation.Evaluate(files, [new NabCandidate("x", [new double[40], new double[39]])], NabProfile.Standard, 2));
        Assert.Throws<ArgumentException>(() => NabCrossValidation.Evaluate(files, [], NabProfile.Standard, 2));
    }
}
