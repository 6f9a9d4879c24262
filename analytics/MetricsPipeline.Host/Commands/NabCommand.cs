using System.CommandLine;
using System.Text.Json;
using MetricsPipeline.Anomaly.Auto;
using MetricsPipeline.Anomaly.Nab;
using MetricsPipeline.Host.Anomaly;

namespace MetricsPipeline.Host.Commands;

/// <summary>
/// <c>metrics-pipeline nab --data DIR --detector NAME [options] --output results.json</c>: runs a detector over a corpus in
/// NAB's layout and scores it exactly as NAB does (corpus-optimal threshold per profile, normalised scores). With
/// <c>--cross-validate K</c> it also reports the K-fold cross-validated scores (threshold, and with <c>--cv-tune</c> the
/// <c>auto</c> parameters, chosen on the other folds only), next to the in-sample ones.
/// </summary>
internal static class NabCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var command = new Command("nab", "Run a detector over a NAB-layout corpus and score it with NAB's three profiles.");
        var data = new Option<DirectoryInfo>("--data") { Description = "Corpus root: category/file.csv files, windows.json, optionally profiles.json.", Required = true };
        var output = new Option<FileInfo?>("--output") { Description = "Where to write the results as JSON." };
        var crossValidate = new Option<int?>("--cross-validate")
        {
            Description = "K: also score by K-fold cross-validation over the files (threshold chosen on the other K-1 folds; K = number of files is leave-one-file-out).",
        };
        var tune = new Option<bool>("--cv-tune")
        {
            Description = "With --cross-validate and --detector auto: also choose auto's parameters on the training folds, among the baseline and its one-step neighbours.",
        };
        var margin = new Option<double>("--cv-margin")
        {
            Description = "With --cv-tune: raw NAB points by which a neighbour must beat the default configuration on the training folds to be chosen (0 = plain arg-max).",
            DefaultValueFactory = _ => 0,
        };
        var detectors = new DetectorOptionSet();
        command.Options.Add(data);
        command.Options.Add(output);
        command.Options.Add(crossValidate);
        command.Options.Add(tune);
        command.Options.Add(margin);
        detectors.AddTo(command);
        command.SetAction(parse =>
        {
            try
            {
                var choice = detectors.Resolve(parse);
                // The paths are checked before the corpus is read and scored: an output that is a directory failed only at
                // the end, after the whole run.
                CliPaths.RequireDirectory("--data", parse.GetValue(data)!.ToString());
                if (parse.GetValue(output) is { } outputFile)
                {
                    CliPaths.RequireWritableFile("--output", outputFile.ToString());
                }

                var root = parse.GetValue(data)!.FullName;
                var files = NabCorpusReader.Read(root);
                if (files.Count == 0)
                {
                    Console.Error.WriteLine($"error: no CSV files under '{root}'.");
                    return 2;
                }

                // Checked before the (possibly long) detector run, so a bad command line fails at once.
                if (parse.GetValue(crossValidate) is { } k && (k < 2 || k > files.Count))
                {
                    Console.Error.WriteLine($"error: --cross-validate must be between 2 and the number of files ({files.Count}); got {k}.");
                    return 2;
                }

                if (!(parse.GetValue(margin) >= 0) || double.IsInfinity(parse.GetValue(margin)))
                {
                    Console.Error.WriteLine($"error: --cv-margin must be a finite number ≥ 0; got {parse.GetValue(margin)}.");
                    return 2;
                }

                if (parse.GetValue(tune) && (parse.GetValue(crossValidate) is null || choice.Name != "auto"))
                {
                    Console.Error.WriteLine("error: --cv-tune needs --cross-validate K and --detector auto (the grid is auto's parameters).");
                    return 2;
                }

                // Read before the (possibly long) detector run: a malformed profiles.json used to fail only after it.
                var profiles = NabProfiles.Load(Path.Combine(root, "profiles.json"));
                var scores = new double[files.Count][];
                var started = System.Diagnostics.Stopwatch.StartNew();
                Parallel.For(0, files.Count, f => scores[f] = choice.Run(files[f].Values).Select(o => double.IsNaN(o.AnomalyScore) ? 0 : o.AnomalyScore).ToArray());
                var elapsed = started.Elapsed;
                var results = profiles.Select(p => NabEvaluation.Score(files, scores, p)).ToList();
                foreach (var r in results)
                {
                    Console.WriteLine($"{choice.Name,-16} {r.Profile,-20} score {r.NormalizedScore,7:F2}  raw {r.RawScore,8:F3}  threshold {r.Threshold:R}");
                }

                var standard = results[0];
                foreach (var f in standard.Files)
                {
                    Console.WriteLine($"  {f.Name,-55} {f.Score,8:F3}  windows {f.DetectedWindows}/{f.Windows}  TP {f.TruePositives} FP {f.FalsePositives} FN {f.FalseNegatives} TN {f.TrueNegatives}");
                }

                Console.WriteLine($"  ({files.Sum(f => f.Values.Length)} rows in {files.Count} files, detector time {elapsed.TotalMilliseconds:F0} ms)");
                var baseline = choice.CreateStreaming?.Invoke() is AutoDetector auto ? auto.Options : null;
                object? crossValidation = null;
                if (parse.GetValue(crossValidate) is { } folds)
                {
                    crossValidation = CrossValidate(choice.Name, files, scores, profiles, results, folds, parse.GetValue(tune) ? baseline : null, parse.GetValue(tune), parse.GetValue(margin));
                }

                if (parse.GetValue(output) is { } path)
                {
                    var json = JsonSerializer.Serialize(
                        new { detector = choice.Name, data = root, windows = files.Sum(f => f.Windows.Count), parameters = baseline, profiles = results, crossValidation },
                        new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower });
                    File.WriteAllText(path.FullName, json);
                }

                return 0;
            }
            catch (Exception e) when (e is ArgumentException or IOException or InvalidDataException or UnauthorizedAccessException or JsonException)
            {
                Console.Error.WriteLine($"error: {CliErrorText.Of(e)}");
                return 2;
            }
        });
        return command;
    }

    private static object CrossValidate(
        string name,
        IReadOnlyList<NabFile> files,
        double[][] scores,
        IReadOnlyList<NabProfile> profiles,
        IReadOnlyList<NabProfileResult> inSample,
        int folds,
        AutoDetectorOptions? tuneAround,
        bool tuneRequested,
        double selectionMargin)
    {
        if (tuneRequested && tuneAround is null)
        {
            throw new ArgumentException("--cv-tune needs --detector auto (its parameter grid is the auto detector's).");
        }

        // The configured detector comes first so that it wins ties between candidates.
        var candidates = new List<NabCandidate> { new(tuneAround is null ? name : $"{name} baseline", scores) };
        if (tuneAround is not null)
        {
            foreach (var (label, options) in AutoParameterGrid.Neighbourhood(tuneAround).Skip(1))
            {
                candidates.Add(new NabCandidate($"{name} {label}", NabEvaluation.Run(files, () => new AutoDetector(options))));
            }
        }

        // Each candidate's own in-sample scores show how sharp the optimum is: neighbours within a fraction of a window of
        // the default are near-ties that leave-one-file-out can flip.
        var candidateScores = candidates.Select(c => new
        {
            candidate = c.Name,
            inSampleScores = profiles.Select(p => NabEvaluation.Score(files, c.Scores, p).NormalizedScore).ToArray(),
        }).ToList();
        if (candidates.Count > 1)
        {
            foreach (var c in candidateScores)
            {
                Console.WriteLine($"  candidate {c.candidate,-40} in-sample {string.Join(" / ", c.inSampleScores.Select(v => v.ToString("F2", System.Globalization.CultureInfo.InvariantCulture)))}");
            }
        }

        var perProfile = new List<object>();
        for (var p = 0; p < profiles.Count; p++)
        {
            var cv = NabCrossValidation.Evaluate(files, candidates, profiles[p], folds, selectionMargin);
            var chosen = string.Join(", ", cv.FoldResults.GroupBy(f => f.Candidate).Select(g => $"{g.Key} x{g.Count()}"));
            Console.WriteLine($"{name,-16} {cv.Profile,-20} cross-validated ({folds} folds) score {cv.NormalizedScore,7:F2}  raw {cv.RawScore,8:F3}  in-sample {inSample[p].NormalizedScore:F2}  chosen: {chosen}");
            perProfile.Add(new
            {
                profile = cv.Profile,
                score = cv.NormalizedScore,
                rawScore = cv.RawScore,
                inSampleScore = inSample[p].NormalizedScore,
                inSampleThreshold = inSample[p].Threshold,
                folds = cv.FoldResults.Select(f => new
                {
                    fold = f.Fold,
                    heldOut = f.HeldOut,
                    candidate = f.Candidate,
                    threshold = f.Threshold,
                    trainingRawScore = f.TrainingRawScore,
                    heldOutRawScore = f.HeldOutRawScore,
                    heldOutWindows = f.HeldOutWindows,
                }),
            });
        }

        return new
        {
            folds,
            foldAssignment = "files in ordinal name order, dealt round-robin",
            tuned = tuneAround is not null,
            selectionMargin,
            candidates = candidates.Select(c => c.Name),
            candidateScores,
            profiles = perProfile,
        };
    }
}
