namespace MetricsPipeline.Anomaly.Nab;

/// <summary>Runs a detector over a NAB corpus and scores it under each profile.</summary>
public static class NabEvaluation
{
    /// <summary>
    /// Runs a fresh detector from <paramref name="createDetector"/> over every file (each series seen once, in order) and
    /// returns the anomaly scores per file.
    /// </summary>
    public static double[][] Run(IReadOnlyList<NabFile> files, Func<IAnomalyDetector> createDetector)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(createDetector);
        var scores = new double[files.Count][];
        Parallel.For(0, files.Count, f =>
        {
            var detector = createDetector();
            var values = files[f].Values;
            var result = new double[values.Length];
            for (var i = 0; i < values.Length; i++)
            {
                var s = detector.Next(values[i]).AnomalyScore;
                result[i] = double.IsNaN(s) ? 0 : s;
            }

            scores[f] = result;
        });
        return scores;
    }

    /// <summary>Scores the anomaly scores under a profile with the corpus-optimal threshold.</summary>
    public static NabProfileResult Score(IReadOnlyList<NabFile> files, IReadOnlyList<double[]> scores, NabProfile profile)
    {
        ArgumentNullException.ThrowIfNull(files);
        var (threshold, total) = NabScorer.OptimizeThreshold(files, scores, profile);
        var perFile = new List<NabFileScore>(files.Count);
        for (var f = 0; f < files.Count; f++)
        {
            perFile.Add(NabScorer.ScoreFile(files[f], scores[f], profile, threshold));
        }

        var windows = files.Sum(f => f.Windows.Count);
        return new NabProfileResult(profile.Name, threshold, total, NabScorer.Normalize(total, windows, profile), perFile);
    }
}
