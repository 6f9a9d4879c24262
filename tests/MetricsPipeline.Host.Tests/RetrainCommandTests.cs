using MetricsPipeline.Forecasting.History;
using Xunit;

namespace MetricsPipeline.Host.Tests;

/// <summary>
/// <c>metrics-pipeline retrain</c> on history a user really has: files a crashed pipeline left empty, a file that is
/// not Arrow, a directory that is not there, and option values that cannot work.
/// </summary>
public sealed class RetrainCommandTests
{
    private const long MinuteNs = 60_000_000_000;
    private const long T0 = 1_790_002_800L * 1_000_000_000; // a whole hour in 2026
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task WhenTheFirstHistoryFileIsEmptyThenRetrainNamesItAndTrainsFromTheOthers()
    {
        var (history, models) = WriteHistory();
        var empty = Path.Combine(history, "1m", WindowHistoryWriter.FileName(T0 - (60 * MinuteNs)) + ".arrows");
        await File.WriteAllBytesAsync(empty, [], TestContext.Current.CancellationToken);

        var run = await Retrain(history, models);

        Assert.True(run.ExitCode == 0, Describe(run));
        Assert.Contains("retrain: 2 models stored, 2 series skipped", run.StandardOutput, StringComparison.Ordinal);
        Assert.Contains($"skipping unreadable history file {empty}: the file is empty", run.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", run.StandardError, StringComparison.Ordinal);
        // The history has only the request rate: the other two default series say why they got no model.
        Assert.Contains("service.cpu_percent.mean.1m: skipped (no service windows with field cpu_percent in the 1m history)", run.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WhenAHistoryFileIsNotArrowThenRetrainNamesItAndTrainsFromTheOthers()
    {
        var (history, models) = WriteHistory();
        var junk = Path.Combine(history, "1m", WindowHistoryWriter.FileName(T0 - (60 * MinuteNs)) + ".arrows");
        var bytes = new byte[3000];
        new Random(7).NextBytes(bytes);
        await File.WriteAllBytesAsync(junk, bytes, TestContext.Current.CancellationToken);

        var run = await Retrain(history, models);

        Assert.True(run.ExitCode == 0, Describe(run));
        Assert.Contains("retrain: 2 models stored, 2 series skipped", run.StandardOutput, StringComparison.Ordinal);
        Assert.Contains($"skipping unreadable history file {junk}", run.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WhenAHistoryFileHasAnUnknownVersionThenRetrainNamesItAndTrainsFromTheOthers()
    {
        var (history, models) = WriteHistory();
        var future = Path.Combine(history, "1m", WindowHistoryWriter.FileName(T0 - (60 * MinuteNs)) + ".arrows");
        RewriteWithVersion(Directory.GetFiles(Path.Combine(history, "1m")).Order(StringComparer.Ordinal).First(), future, "9");

        var run = await Retrain(history, models);

        Assert.True(run.ExitCode == 0, Describe(run));
        Assert.Contains("retrain: 2 models stored, 2 series skipped", run.StandardOutput, StringComparison.Ordinal);
        Assert.Contains($"retrain: skipping unreadable history file {future}: {future} has metrics_pipeline.history_version '9'", run.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WhenAHistoryFileIsTornThenRetrainNamesItWithTheRowsReadAndTrains()
    {
        var (history, models) = WriteHistory();
        var last = Directory.GetFiles(Path.Combine(history, "1m")).Order(StringComparer.Ordinal).Last();
        using (var f = new FileStream(last, FileMode.Open))
        {
            f.SetLength(f.Length - 100); // the end marker and part of the last minute's batch
        }

        var run = await Retrain(history, models);

        Assert.True(run.ExitCode == 0, Describe(run));
        Assert.Contains("retrain: 2 models stored, 2 series skipped", run.StandardOutput, StringComparison.Ordinal);
        // 150 minutes from a whole hour: the last file has 30 one-minute batches of 4 rows; the 30th is torn.
        Assert.Contains($"retrain: history file {last} is torn", run.StandardError, StringComparison.Ordinal);
        Assert.Contains("using the 116 rows before the cut", run.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WhenNoHistoryFileIsReadableThenRetrainSaysSoAndFails()
    {
        var (history, models) = WriteHistory(minutes: 0);
        await File.WriteAllBytesAsync(Path.Combine(history, "1m", WindowHistoryWriter.FileName(T0) + ".arrows"), [], TestContext.Current.CancellationToken);

        var run = await Retrain(history, models);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("none of the 1 1m history files", run.StandardError, StringComparison.Ordinal);
        Assert.False(Directory.Exists(models));
    }

    [Fact]
    public async Task WhenAConfiguredSeriesHasNoHistoryThenRetrainReportsItSkippedAndTrainsTheOthers()
    {
        var (history, models) = WriteHistory();
        var config = Path.Combine(Path.GetDirectoryName(history)!, "appsettings.json");
        await File.WriteAllTextAsync(
            config,
            """{ "Analytics": { "Forecasting": { "Series": [ { "Name": "rate" }, { "Name": "typo", "Field": "request_rat" } ] } } }""",
            TestContext.Current.CancellationToken);

        var run = await HostProcess.RunAsync(
            ["retrain", "--history", history, "--models", models, "--horizon", "5", "--config", config], Limit, TestContext.Current.CancellationToken);

        Assert.True(run.ExitCode == 0, Describe(run));
        Assert.Contains("service.request_rat.mean.1m: skipped (no service windows with field request_rat in the 1m history)", run.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("retrain: 2 models stored, 1 series skipped", run.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WhenTheHistoryDirectoryDoesNotExistThenRetrainSaysSo()
    {
        var root = TempDir();
        var missing = Path.Combine(root, "no-such-history");

        var run = await Retrain(missing, Path.Combine(root, "models"));

        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"retrain: the history directory {missing} does not exist", run.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WhenRetrainScoresAShorterHorizonThanTheStreamsThenTheStoredModelsStillForecastTheStreamsHorizonWithTheirBoundsRecalibrated()
    {
        // --horizon 5 scores five steps; the stream (default config) forecasts 60. The online bound recalibration runs
        // only when a forecast spans the model's own horizon, so a model stored for 5 steps never recalibrated in the stream.
        var (history, models) = WriteHistory();

        var run = await Retrain(history, models);

        Assert.True(run.ExitCode == 0, Describe(run));
        var stored = new MetricsPipeline.Forecasting.Store.ModelStore(models).LoadLatest("service.request_rate.mean.1m|service=api")!;
        Assert.Equal(new MetricsPipeline.Forecasting.Streaming.StreamForecastOptions().Horizon, stored.Model.Options.Horizon);
        Assert.True(stored.Model.Options.RecalibrationWindow > 0);
        Assert.Equal(5, stored.Metadata.Mase.Length);
    }

    [Theory]
    [InlineData("--horizon", "0")]
    [InlineData("--horizon", "-3")]
    [InlineData("--min-points", "0")]
    public async Task WhenANumberOptionIsNotPositiveThenRetrainFailsOnceNamingItAndStoresNothing(string option, string value)
    {
        var (history, models) = WriteHistory();

        var run = await HostProcess.RunAsync(
            ["retrain", "--history", history, "--models", models, option, value], Limit, TestContext.Current.CancellationToken);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal($"retrain: {option} must be positive (got {value}).", run.StandardError.Trim());
        Assert.Equal(string.Empty, run.StandardOutput.Trim());
        Assert.False(Directory.Exists(models));
    }

    private static Task<HostProcess.Result> Retrain(string history, string models) =>
        HostProcess.RunAsync(["retrain", "--history", history, "--models", models, "--horizon", "5"], Limit, TestContext.Current.CancellationToken);

    private static string Describe(HostProcess.Result run) =>
        $"exit {run.ExitCode}\nstdout:\n{run.StandardOutput}\nstderr:\n{run.StandardError}";

    // Two services' request rate (two instances each) on 1-minute windows: enough for one model per service.
    private static (string History, string Models) WriteHistory(int minutes = 150)
    {
        var root = TempDir();
        var history = Path.Combine(root, "history");
        Directory.CreateDirectory(Path.Combine(history, "1m"));
        using (var writer = new WindowHistoryWriter(history, ["p50", "p95"]))
        {
            for (var m = 0; m < minutes; m++)
            {
                var rows = new List<WindowHistoryRecord>();
                foreach (var service in new[] { "api", "web" })
                {
                    for (var instance = 0; instance < 2; instance++)
                    {
                        var v = 50 + (10 * Math.Sin(2 * Math.PI * m / 20.0)) + (5 * instance) + (((m * 31) + instance) % 4);
                        rows.Add(new WindowHistoryRecord(
                            T0 + (m * MinuteNs), "1m", "service",
                            [new("instance", $"{service}-{instance}"), new("service", service)],
                            "request_rate", 6, 6 * v, v - 1, v + 1, [v, v + 1]));
                    }
                }

                writer.Append(rows);
            }
        }

        return (history, Path.Combine(root, "models"));
    }

    // The writer always stamps the current version: copy a file's schema and batches with another version.
    private static void RewriteWithVersion(string source, string path, string version)
    {
        using var input = new FileStream(source, FileMode.Open, FileAccess.Read);
        using var reader = new Apache.Arrow.Ipc.ArrowStreamReader(input);
        var builder = new Apache.Arrow.Schema.Builder();
        foreach (var field in reader.Schema.FieldsList)
        {
            builder.Field(field);
        }

        var schema = builder.Metadata(WindowHistorySchema.VersionKey, version).Build();
        using var output = File.Create(path);
        using var writer = new Apache.Arrow.Ipc.ArrowStreamWriter(output, schema);
        while (reader.ReadNextRecordBatch() is { } batch)
        {
            using (batch)
            {
                writer.WriteRecordBatch(new Apache.Arrow.RecordBatch(schema, Enumerable.Range(0, batch.ColumnCount).Select(batch.Column), batch.Length));
            }
        }

        writer.WriteEnd();
    }

    private static string TempDir()
    {
        var dir = Path.Combine(Path.GetTempPath(), $"mp-retrain-cli-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        return dir;
    }
}
