namespace MetricsPipeline.Anomaly.Nab;

/// <summary>
/// NAB's scoring (nab/sweeper.py): per-row weights from the scaled sigmoid, one credit per window for its earliest
/// detection, a penalty per false-positive row, −A_FN per missed window; rows in the probationary period are ignored.
/// </summary>
public static class NabScorer
{
    /// <summary>σ(y) = 2/(1 + e^{5y}) − 1, and −1 for y &gt; 3.</summary>
    public static double ScaledSigmoid(double y) => y > 3 ? -1.0 : (2.0 / (1.0 + Math.Exp(5.0 * y))) - 1.0;

    /// <summary>
    /// The weight s_i each row would contribute as a detection, and the index of the window holding it (−1 if none).
    /// Rows in the probationary period get weight 0 and window −2.
    /// </summary>
    public static (double[] Weights, int[] WindowOf) RowWeights(int rowCount, int probation, IReadOnlyList<NabWindow> windows, NabProfile profile)
    {
        ArgumentNullException.ThrowIfNull(windows);
        ArgumentNullException.ThrowIfNull(profile);
        var weights = new double[rowCount];
        var windowOf = new int[rowCount];
        var maxTp = ScaledSigmoid(-1.0);
        var next = 0;
        NabWindow? previous = null;
        for (var i = 0; i < rowCount; i++)
        {
            while (next < windows.Count && windows[next].End < i)
            {
                previous = windows[next];
                next++;
            }

            if (next < windows.Count && windows[next].Start <= i)
            {
                var w = windows[next];
                weights[i] = profile.TpWeight * ScaledSigmoid(-(double)(w.End - i + 1) / w.Width) / maxTp;
                windowOf[i] = next;
            }
            else if (previous is { } p)
            {
                var y = p.Width > 1 ? Math.Abs(p.End - i) / (double)(p.Width - 1) : double.PositiveInfinity;
                weights[i] = profile.FpWeight * ScaledSigmoid(y);
                windowOf[i] = -1;
            }
            else
            {
                weights[i] = -profile.FpWeight;
                windowOf[i] = -1;
            }

            if (i < probation)
            {
                weights[i] = 0;
                windowOf[i] = -2;
            }
        }

        return (weights, windowOf);
    }

    /// <summary>The file score at a threshold: a row is a detection iff its score ≥ threshold and it is past probation.</summary>
    public static NabFileScore ScoreFile(NabFile file, IReadOnlyList<double> scores, NabProfile profile, double threshold)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(scores);
        var n = file.Values.Length;
        var (weights, windowOf) = RowWeights(n, file.Probation, file.Windows, profile);
        var best = new double[file.Windows.Count];
        var hit = new bool[file.Windows.Count];
        double falsePositives = 0;
        int tp = 0, fp = 0, fn = 0, tn = 0;
        for (var i = file.Probation; i < n; i++)
        {
            var detected = scores[i] >= threshold;
            var w = windowOf[i];
            if (w >= 0)
            {
                if (detected)
                {
                    tp++;
                    if (!hit[w] || weights[i] > best[w])
                    {
                        best[w] = weights[i];
                        hit[w] = true;
                    }
                }
                else
                {
                    fn++;
                }
            }
            else if (detected)
            {
                fp++;
                falsePositives += weights[i];
            }
            else
            {
                tn++;
            }
        }

        var total = falsePositives;
        var detectedWindows = 0;
        for (var w = 0; w < best.Length; w++)
        {
            if (hit[w])
            {
                total += best[w];
                detectedWindows++;
            }
            else
            {
                total -= profile.FnWeight;
            }
        }

        return new NabFileScore(file.Name, total, tp, fp, fn, tn, detectedWindows, file.Windows.Count);
    }

    /// <summary>
    /// NAB's optimizer: sweeps every distinct score (and 1.1, no detections) in descending order over the whole corpus and
    /// returns the threshold with the highest corpus total; ties keep the higher threshold.
    /// </summary>
    public static (double Threshold, double Total) OptimizeThreshold(IReadOnlyList<NabFile> files, IReadOnlyList<double[]> scores, NabProfile profile)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(profile);
        var rows = new List<(double Score, double Weight, int Window)>();
        var windowOffset = 0;
        for (var f = 0; f < files.Count; f++)
        {
            var file = files[f];
            var (weights, windowOf) = RowWeights(file.Values.Length, file.Probation, file.Windows, profile);
            for (var i = file.Probation; i < file.Values.Length; i++)
            {
                rows.Add((scores[f][i], weights[i], windowOf[i] >= 0 ? windowOffset + windowOf[i] : -1));
            }

            windowOffset += file.Windows.Count;
        }

        rows.Sort((a, b) => b.Score.CompareTo(a.Score));
        var best = new double[windowOffset];
        var hit = new bool[windowOffset];
        var total = -profile.FnWeight * windowOffset;
        var bestThreshold = 1.1;
        var bestTotal = total;
        var r = 0;
        while (r < rows.Count)
        {
            var threshold = rows[r].Score;
            while (r < rows.Count && rows[r].Score == threshold)
            {
                var (_, weight, window) = rows[r];
                if (window < 0)
                {
                    total += weight;
                }
                else if (!hit[window])
                {
                    hit[window] = true;
                    best[window] = weight;
                    total += weight + profile.FnWeight;
                }
                else if (weight > best[window])
                {
                    total += weight - best[window];
                    best[window] = weight;
                }

                r++;
            }

            if (total > bestTotal + 1e-12)
            {
                bestTotal = total;
                bestThreshold = threshold;
            }
        }

        return (bestThreshold, bestTotal);
    }

    /// <summary>NAB's normalisation: 100 (S − S_null) / (S_perfect − S_null) with S_null = −A_FN N_w and S_perfect = A_TP N_w.</summary>
    public static double Normalize(double rawScore, int windowCount, NabProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var nullScore = -profile.FnWeight * windowCount;
        var perfect = profile.TpWeight * windowCount;
        return 100.0 * (rawScore - nullScore) / (perfect - nullScore);
    }
}
