namespace MetricsPipeline.Anomaly.Nab;

/// <summary>
/// NAB's threshold sweep (<see cref="NabScorer.OptimizeThreshold"/>) over any subset of the files: the rows of all files
/// are sorted once, and each sweep skips the rows of excluded files, so K folds cost K linear passes, not K sorts.
/// </summary>
internal sealed class NabThresholdSweep
{
    private readonly double[] _score;
    private readonly double[] _weight;
    private readonly int[] _window;
    private readonly int[] _file;
    private readonly int[] _windowsPerFile;
    private readonly double[] _best;
    private readonly bool[] _hit;
    private readonly NabProfile _profile;

    /// <summary>Collects and sorts the scored rows (past probation) of every file.</summary>
    public NabThresholdSweep(IReadOnlyList<NabFile> files, IReadOnlyList<double[]> scores, NabProfile profile)
    {
        _profile = profile;
        var rows = files.Sum(f => f.Values.Length - Math.Min(f.Probation, f.Values.Length));
        _score = new double[rows];
        _weight = new double[rows];
        _window = new int[rows];
        _file = new int[rows];
        _windowsPerFile = new int[files.Count];
        var r = 0;
        var windowOffset = 0;
        for (var f = 0; f < files.Count; f++)
        {
            var file = files[f];
            var (weights, windowOf) = NabScorer.RowWeights(file.Values.Length, file.Probation, file.Windows, profile);
            for (var i = file.Probation; i < file.Values.Length; i++, r++)
            {
                _score[r] = scores[f][i];
                _weight[r] = weights[i];
                _window[r] = windowOf[i] >= 0 ? windowOffset + windowOf[i] : -1;
                _file[r] = f;
            }

            _windowsPerFile[f] = file.Windows.Count;
            windowOffset += file.Windows.Count;
        }

        // Sort descending by score; the order inside a group of equal scores does not matter (a group is applied whole).
        var keys = _score.Select(s => -s).ToArray();
        var order = Enumerable.Range(0, rows).ToArray();
        Array.Sort(keys, order);
        _score = order.Select(i => _score[i]).ToArray();
        _weight = order.Select(i => _weight[i]).ToArray();
        _window = order.Select(i => _window[i]).ToArray();
        _file = order.Select(i => _file[i]).ToArray();
        _best = new double[windowOffset];
        _hit = new bool[windowOffset];
    }

    /// <summary>The best threshold and its total over the files whose entry in <paramref name="include"/> is true.</summary>
    public (double Threshold, double Total) Optimize(IReadOnlyList<bool> include)
    {
        Array.Clear(_hit);
        var windows = 0;
        for (var f = 0; f < _windowsPerFile.Length; f++)
        {
            windows += include[f] ? _windowsPerFile[f] : 0;
        }

        var total = -_profile.FnWeight * windows;
        var bestThreshold = 1.1;
        var bestTotal = total;
        var r = 0;
        while (r < _score.Length)
        {
            var threshold = _score[r];
            while (r < _score.Length && _score[r] == threshold)
            {
                if (include[_file[r]])
                {
                    var window = _window[r];
                    var weight = _weight[r];
                    if (window < 0)
                    {
                        total += weight;
                    }
                    else if (!_hit[window])
                    {
                        _hit[window] = true;
                        _best[window] = weight;
                        total += weight + _profile.FnWeight;
                    }
                    else if (weight > _best[window])
                    {
                        total += weight - _best[window];
                        _best[window] = weight;
                    }
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
}
