using System.Globalization;
using System.Text.Json;
using Xunit;

namespace MetricsPipeline.Host.Tests;

/// <summary>
/// <c>metrics-pipeline nab</c> as a child process on a tiny corpus built here, scored by hand from NAB's rules
/// (../shared/reference/nab-scoring.md): probation, the scaled sigmoid, FPs measured from the preceding window, the
/// corpus threshold and the normalisation.
/// </summary>
public class NabCliTests
{
    private const int Rows = 400;
    private static readonly DateTime Start = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private static string Timestamp(int row) => (Start + TimeSpan.FromMinutes(5 * row)).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    /// <summary>A quiet sawtooth (10, 10.1, 10.2) with the given spikes: iid-spike's anomaly score is 0.99999999 on a spike
    /// and below 0.99 everywhere else (the highest ones fall in the probation period), so the corpus threshold detects
    /// exactly the spikes.</summary>
    private static void WriteFile(CliScratch scratch, string name, Dictionary<int, double> spikes)
    {
        string path = scratch.PathOf(name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllLines(path, [
            "timestamp,value",
            .. Enumerable.Range(0, Rows).Select(i => string.Create(CultureInfo.InvariantCulture, $"{Timestamp(i)},{(spikes.TryGetValue(i, out double s) ? s : 10 + (0.1 * (i % 3))):R}"))]);
    }

    /// <summary>NAB's scaled sigmoid: 2 / (1 + e^(5y)) − 1 (−1 beyond y = 3).</summary>
    private static double Sigma(double y) => y > 3 ? -1 : (2 / (1 + Math.Exp(5 * y))) - 1;

    [Fact]
    public async Task WhenACorpusWithAPerfectALateAndAFalseDetectionIsScoredThenEveryProfileMatchesTheHandComputedNabScore()
    {
        using var scratch = new CliScratch("nab");

        // One window per labelled file, rows 200..239 (w = 40), after the probation of floor(0.15 × 400) = 60 rows.
        WriteFile(scratch, "perfect/a.csv", new() { [200] = 100 });              // detected on the window's first row
        WriteFile(scratch, "late/b.csv", new() { [220] = 100, [300] = 1000 });   // detected half-way, then a false one after
        WriteFile(scratch, "calm/c.csv", new() { [300] = 100 });                 // no windows: one false detection
        string window = $"[[\"{Timestamp(200)}\", \"{Timestamp(239)}\"]]";
        File.WriteAllText(scratch.PathOf("windows.json"), $"{{ \"perfect/a.csv\": {window}, \"late/b.csv\": {window}, \"calm/c.csv\": [] }}");

        var run = await scratch.RunOkAsync("nab", "--data", scratch.Directory, "--detector", "iid-spike", "--output", scratch.PathOf("results.json"));
        var results = scratch.ReadJson("results.json");
        Assert.Equal("iid-spike", results.GetProperty("detector").GetString());
        Assert.Equal(2, results.GetProperty("windows").GetInt32());
        var profiles = results.GetProperty("profiles").EnumerateArray().ToArray();
        Assert.Equal(["standard", "reward_low_FP_rate", "reward_low_FN_rate"], profiles.Select(p => p.GetProperty("profile").GetString()));

        var weights = new Dictionary<string, (double Tp, double Fp, double Fn)>
        {
            ["standard"] = (1, 0.11, 1),
            ["reward_low_FP_rate"] = (1, 0.22, 1),
            ["reward_low_FN_rate"] = (1, 0.11, 2),
        };
        foreach (var profile in profiles)
        {
            var (tp, fp, fn) = weights[profile.GetProperty("profile").GetString()!];

            // a: the first row of its window scores A_TP exactly.
            double a = tp;

            // b: row 220 of [200, 239] has y = −(239 − 220 + 1)/40 = −0.5, scaled by σ(−1); the false detection at row 300
            // is measured from the preceding window's right edge: y = |239 − 300|/(40 − 1).
            double b = (tp * Sigma(-0.5) / Sigma(-1)) + (fp * Sigma(61.0 / 39));

            // c: a detection with no preceding window costs −A_FP.
            double c = -fp;
            double raw = a + b + c;
            double normalized = 100 * (raw - (-fn * 2)) / ((tp * 2) - (-fn * 2));
            Assert.Equal(raw, profile.GetProperty("raw_score").GetDouble(), 1e-9);
            Assert.Equal(normalized, profile.GetProperty("normalized_score").GetDouble(), 1e-7);

            var files = profile.GetProperty("files").EnumerateArray().ToDictionary(f => f.GetProperty("name").GetString()!);
            Assert.Equal(a, files["perfect/a.csv"].GetProperty("score").GetDouble(), 1e-12);
            Assert.Equal(b, files["late/b.csv"].GetProperty("score").GetDouble(), 1e-9);
            Assert.Equal(c, files["calm/c.csv"].GetProperty("score").GetDouble(), 1e-12);

            // Row counts after the 60 probation rows: 340 scored rows per file, 40 of them in the window.
            AssertCounts(files["perfect/a.csv"], tp: 1, fp: 0, fn: 39, tn: 300, detected: 1, windows: 1);
            AssertCounts(files["late/b.csv"], tp: 1, fp: 1, fn: 39, tn: 299, detected: 1, windows: 1);
            AssertCounts(files["calm/c.csv"], tp: 0, fp: 1, fn: 0, tn: 339, detected: 0, windows: 0);
        }

        Assert.Contains("standard", run.StandardOutput, StringComparison.Ordinal);
    }

    private static void AssertCounts(JsonElement file, int tp, int fp, int fn, int tn, int detected, int windows)
    {
        Assert.Equal((tp, fp, fn, tn, detected, windows), (
            file.GetProperty("true_positives").GetInt32(),
            file.GetProperty("false_positives").GetInt32(),
            file.GetProperty("false_negatives").GetInt32(),
            file.GetProperty("true_negatives").GetInt32(),
            file.GetProperty("detected_windows").GetInt32(),
            file.GetProperty("windows").GetInt32()));
    }

    [Fact]
    public async Task WhenTheCorpusDirectoryOrItsWindowsFileIsMissingThenNabFailsNamingIt()
    {
        using var scratch = new CliScratch("nab-errors");
        string absent = scratch.PathOf("absent");
        var missing = await scratch.RunAsync("nab", "--data", absent, "--detector", "iid-spike");
        Assert.NotEqual(0, missing.ExitCode);
        Assert.Contains("absent", missing.StandardError, StringComparison.Ordinal);

        WriteFile(scratch, "corpus/x/a.csv", new() { [200] = 100 });
        var noWindows = await scratch.RunAsync("nab", "--data", scratch.PathOf("corpus"), "--detector", "iid-spike");
        Assert.NotEqual(0, noWindows.ExitCode);
        Assert.Contains("windows.json", noWindows.StandardError, StringComparison.Ordinal);

        var detector = await scratch.RunAsync("nab", "--data", scratch.PathOf("corpus"), "--detector", "psychic");
        Assert.NotEqual(0, detector.ExitCode);
        Assert.Contains("psychic", detector.StandardError, StringComparison.Ordinal);
    }
}
