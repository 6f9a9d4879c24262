using System.CommandLine;
using System.Text.Json;
using MetricsPipeline.Anomaly.Nab;
using MetricsPipeline.Host.Anomaly;

namespace MetricsPipeline.Host.Commands;

/// <summary>
/// <c>metrics-pipeline nab --data DIR --detector NAME [options] --output results.json</c>: runs a detector over a corpus in
/// NAB's layout and scores it exactly as NAB does (corpus-optimal threshold per profile, normalised scores).
/// </summary>
internal static class NabCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var command = new Command("nab", "Run a detector over a NAB-layout corpus and score it with NAB's three profiles.");
        var data = new Option<DirectoryInfo>("--data") { Description = "Corpus root: category/file.csv files, windows.json, optionally profiles.json.", Required = true };
        var output = new Option<FileInfo?>("--output") { Description = "Where to write the results as JSON." };
        var detectors = new DetectorOptionSet();
        command.Options.Add(data);
        command.Options.Add(output);
        detectors.AddTo(command);
        command.SetAction(parse =>
        {
            try
            {
                var choice = detectors.Resolve(parse);
                var root = parse.GetValue(data)!.FullName;
                var files = NabCorpusReader.Read(root);
                if (files.Count == 0)
                {
                    Console.Error.WriteLine($"error: no CSV files under '{root}'.");
                    return 2;
                }

                var scores = new double[files.Count][];
                var started = System.Diagnostics.Stopwatch.StartNew();
                Parallel.For(0, files.Count, f => scores[f] = choice.Run(files[f].Values).Select(o => double.IsNaN(o.AnomalyScore) ? 0 : o.AnomalyScore).ToArray());
                var elapsed = started.Elapsed;
                var profiles = NabProfiles.Load(Path.Combine(root, "profiles.json"));
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
                if (parse.GetValue(output) is { } path)
                {
                    var json = JsonSerializer.Serialize(new { detector = choice.Name, data = root, windows = files.Sum(f => f.Windows.Count), profiles = results }, new JsonSerializerOptions { WriteIndented = true });
                    File.WriteAllText(path.FullName, json);
                }

                return 0;
            }
            catch (Exception e) when (e is ArgumentException or IOException or InvalidDataException or UnauthorizedAccessException or JsonException)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return 2;
            }
        });
        return command;
    }
}
