using System.Globalization;
using Xunit;

namespace MetricsPipeline.Host.Tests;

/// <summary>
/// Runs <c>metrics-pipeline demo</c> as a child process with a traffic spike injected into the backfilled history and
/// checks the <c>anomaly</c> lines the anomaly stage wrote next to the windows (line-protocol files under --out).
/// </summary>
public class AnomalyDemoEndToEndTests
{
    [Fact]
    public async Task WhenTheDemoRunsWithAnInjectedTrafficSpikeThenTheAnomalyStageWritesEmergencyPointsOnlyForThatServiceAndResolvesThem()
    {
        var ct = TestContext.Current.CancellationToken;
        var outDir = Path.Combine(Path.GetTempPath(), $"mp-anomaly-{Guid.NewGuid():N}");
        try
        {
            var run = await HostProcess.RunAsync(
                [
                    "demo", "--out", outDir, "--services", "2", "--instances", "2", "--latency-samples", "5",
                    "--history", "40m", "--duration", "1m", "--speed", "60", "--incident", "spike:api:-15m:5m:3",
                ],
                TimeSpan.FromMinutes(3),
                ct);
            Assert.True(run.ExitCode == 0, $"demo exited {run.ExitCode}\nstdout:\n{run.StandardOutput}\nstderr:\n{run.StandardError}");

            var lines = Directory.GetFiles(outDir, "*.lp").SelectMany(File.ReadAllLines).Where(l => l.StartsWith("anomaly,", StringComparison.Ordinal)).ToList();
            var emergencies = lines.Where(l => l.Contains("severity=emergency", StringComparison.Ordinal)).ToList();
            Assert.True(emergencies.Count >= 4, "expected the 5-minute spike to give emergency windows; anomaly lines:\n" + string.Join('\n', lines));
            Assert.All(emergencies, l => Assert.StartsWith("anomaly,detector=auto,series=request_rate,service=api,", l, StringComparison.Ordinal));

            // The injected multiplier is 3. The spike starts at a wall-clock offset, so its first and last 1-minute
            // windows are only partly inside it: every emergency window is above the 1.8 detection ratio, and the
            // windows fully inside the spike come out near 3.
            var ratios = emergencies.Select(line => double.Parse(line.Split(' ')[1].Split(',').Single(f => f.StartsWith("ratio=", StringComparison.Ordinal))[6..], CultureInfo.InvariantCulture)).ToList();
            Assert.All(ratios, ratio => Assert.InRange(ratio, 1.8, 3.8));
            Assert.InRange(ratios.Max(), 2.2, 3.8);
            Assert.True(ratios.Count(r => r >= 2.2) >= 3, "expected at least three windows fully inside the spike: " + string.Join(", ", ratios));

            var timestamps = emergencies.Select(l => long.Parse(l.Split(' ')[^1], CultureInfo.InvariantCulture)).Order().ToList();
            Assert.True(timestamps[^1] - timestamps[0] <= 6L * 60_000_000_000, "the emergency windows span more than the spike");
            var open = Assert.Single(lines, l => l.Contains("series=request_rate,service=api,", StringComparison.Ordinal) && l.Contains("transition=\"open\"", StringComparison.Ordinal) && l.Contains("severity=emergency", StringComparison.Ordinal));
            Assert.Equal(timestamps[0], long.Parse(open.Split(' ')[^1], CultureInfo.InvariantCulture));
            Assert.Contains(lines, l => l.Contains("series=request_rate,service=api,", StringComparison.Ordinal) && l.Contains("transition=\"resolve\"", StringComparison.Ordinal)
                && long.Parse(l.Split(' ')[^1], CultureInfo.InvariantCulture) > timestamps[^1]);
        }
        finally
        {
            if (Directory.Exists(outDir))
            {
                Directory.Delete(outDir, recursive: true);
            }
        }
    }
}
