namespace MetricsPipeline.Anomaly.Nab;

/// <summary>
/// K-fold cross-validation by file for NAB: the corpus' files are split into K folds; for each fold the threshold (and,
/// given several candidates, the configuration) is chosen by NAB's optimizer on the other K − 1 folds only, and the held-out
/// fold is scored with that choice. Summing the held-out totals scores every file once with choices it did not influence,
/// which is the honest counterpart of NAB's in-sample threshold (chosen on the very files it scores).
/// </summary>
public static class NabCrossValidation
{
    /// <summary>
    /// Assigns each file to a fold: files in ordinal name order are dealt round-robin, so each category (a directory
    /// prefix) is spread over the folds. K equal to the file count is leave-one-file-out.
    /// </summary>
    /// <returns>The fold of each file, in the order of <paramref name="files"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="folds"/> is not in [2, files.Count].</exception>
    public static int[] AssignFolds(IReadOnlyList<NabFile> files, int folds)
    {
        ArgumentNullException.ThrowIfNull(files);
        if (folds < 2 || folds > files.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(folds), folds, $"The number of folds must be between 2 and the number of files ({files.Count}).");
        }

        var order = Enumerable.Range(0, files.Count).OrderBy(i => files[i].Name, StringComparer.Ordinal).ToArray();
        var assignment = new int[files.Count];
        for (var rank = 0; rank < order.Length; rank++)
        {
            assignment[order[rank]] = rank % folds;
        }

        return assignment;
    }

    /// <summary>Cross-validates the candidates under one profile with <paramref name="folds"/> folds.</summary>
    /// <param name="files">The corpus.</param>
    /// <param name="candidates">
    /// The configurations to choose from; on equal training totals the earlier one wins, so put the default first.
    /// </param>
    /// <param name="profile">The cost profile.</param>
    /// <param name="folds">K, in [2, files.Count].</param>
    /// <exception cref="ArgumentException">No candidate, or a candidate's scores do not match the files.</exception>
    public static NabCrossValidationResult Evaluate(IReadOnlyList<NabFile> files, IReadOnlyList<NabCandidate> candidates, NabProfile profile, int folds) =>
        Evaluate(files, candidates, profile, folds, 0);

    /// <summary>
    /// Cross-validates the candidates under one profile with <paramref name="folds"/> folds, keeping the first candidate (the
    /// default configuration) unless another beats it on the training folds by more than <paramref name="selectionMargin"/>.
    /// </summary>
    /// <param name="files">The corpus.</param>
    /// <param name="candidates">The configurations to choose from; the first is the default.</param>
    /// <param name="profile">The cost profile.</param>
    /// <param name="folds">K, in [2, files.Count].</param>
    /// <param name="selectionMargin">
    /// Raw NAB points (e.g. 1 = one window's A_TP) by which another candidate's training total must exceed the default's
    /// before it is chosen. With 34 windows, near-ties on the training folds are noise: one window more or less on the K − 1
    /// folds moves the training total by about 2, and choosing on such a difference over-fits the held-out fold's opposite.
    /// 0 is plain arg-max (the default's only advantage is winning exact ties).
    /// </param>
    /// <exception cref="ArgumentException">No candidate, a candidate's scores do not match the files, or the margin is negative or not finite.</exception>
    public static NabCrossValidationResult Evaluate(IReadOnlyList<NabFile> files, IReadOnlyList<NabCandidate> candidates, NabProfile profile, int folds, double selectionMargin)
    {
        if (!(selectionMargin >= 0) || double.IsInfinity(selectionMargin))
        {
            throw new ArgumentException($"The selection margin must be a finite number ≥ 0; got {selectionMargin}.", nameof(selectionMargin));
        }

        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentNullException.ThrowIfNull(profile);
        if (candidates.Count == 0)
        {
            throw new ArgumentException("At least one candidate is needed.", nameof(candidates));
        }

        foreach (var candidate in candidates)
        {
            if (candidate.Scores.Count != files.Count || Enumerable.Range(0, files.Count).Any(f => candidate.Scores[f].Length != files[f].Values.Length))
            {
                throw new ArgumentException($"The scores of candidate '{candidate.Name}' do not match the files row for row.", nameof(candidates));
            }
        }

        var assignment = AssignFolds(files, folds);
        var sweeps = candidates.Select(c => new NabThresholdSweep(files, c.Scores, profile)).ToArray();
        var results = new List<NabFoldResult>(folds);
        double heldOutTotal = 0;
        for (var fold = 0; fold < folds; fold++)
        {
            var training = assignment.Select(a => a != fold).ToArray();
            var chosen = 0;
            var (threshold, trainingTotal) = sweeps[0].Optimize(training);
            var bar = trainingTotal + selectionMargin;
            for (var c = 1; c < sweeps.Length; c++)
            {
                var (t, total) = sweeps[c].Optimize(training);
                if (total > bar + 1e-12 && total > trainingTotal + 1e-12)
                {
                    (chosen, threshold, trainingTotal) = (c, t, total);
                }
            }

            double heldOut = 0;
            var names = new List<string>();
            var windows = 0;
            for (var f = 0; f < files.Count; f++)
            {
                if (assignment[f] == fold)
                {
                    heldOut += NabScorer.ScoreFile(files[f], candidates[chosen].Scores[f], profile, threshold).Score;
                    names.Add(files[f].Name);
                    windows += files[f].Windows.Count;
                }
            }

            heldOutTotal += heldOut;
            results.Add(new NabFoldResult(fold, names, candidates[chosen].Name, threshold, trainingTotal, heldOut, windows));
        }

        var allWindows = files.Sum(f => f.Windows.Count);
        return new NabCrossValidationResult(profile.Name, folds, heldOutTotal, NabScorer.Normalize(heldOutTotal, allWindows, profile), results);
    }
}
