using Apache.Arrow;
using Apache.Arrow.Ipc;
using MetricsPipeline.Forecasting.History;
using Xunit;

namespace MetricsPipeline.Forecasting.Tests;

/// <summary>
/// Issue #4 (session 11): the history reader maps quantile columns by name, refuses a history version it does not know,
/// and names a torn file instead of cutting it short silently.
/// </summary>
public sealed class WindowHistoryReaderAuditTests
{
    [Fact]
    public void WhenAFileHasItsQuantileColumnsInAnotherOrderThenTheyAreReadByName()
    {
        var dir = StreamTestData.TempDir();
        var first = StreamTestData.Row(0, "api", 0);
        using (var writer = new WindowHistoryWriter(dir, ["p50", "p95"]))
        {
            writer.Append([first]);
        }

        // A pipeline restarted with Quantiles listed the other way round writes the same statistics in swapped columns.
        var second = StreamTestData.Row(1, "api", 0);
        using (var writer = new WindowHistoryWriter(dir, ["p95", "p50"]))
        {
            writer.Append([second with { Quantiles = [second.Quantiles[1], second.Quantiles[0]] }]);
        }

        var back = WindowHistoryReader.Read(dir, "1m", ["p50", "p95"]).ToList();

        Assert.Equal(2, back.Count);
        Assert.Equal(first.Quantiles, back[0].Quantiles);
        Assert.Equal(second.Quantiles, back[1].Quantiles);

        // Without names the first file's order is the order of every file.
        Assert.Equal(second.Quantiles, WindowHistoryReader.Read(dir, "1m").ToList()[1].Quantiles);
    }

    [Fact]
    public void WhenAFileLacksAQuantileThenItReadsAsNaNAndTheNoticeNamesTheFile()
    {
        var dir = StreamTestData.TempDir();
        using (var writer = new WindowHistoryWriter(dir, ["p50"]))
        {
            writer.Append([StreamTestData.Row(0, "api", 0) with { Quantiles = [7] }]);
        }

        var notices = new List<string>();
        var row = Assert.Single(WindowHistoryReader.Read(dir, "1m", ["p50", "p95"], notices.Add));

        Assert.Equal(7, row.Quantiles[0]);
        Assert.True(double.IsNaN(row.Quantiles[1]));
        Assert.Contains(notices, n => n.Contains("has no column p95", StringComparison.Ordinal));
    }

    [Fact]
    public void WhenAFileHasAnUnknownHistoryVersionThenReadingItFailsNamingTheFileAndTheVersion()
    {
        var dir = StreamTestData.TempDir();
        using (var writer = new WindowHistoryWriter(dir, StreamTestData.Quantiles))
        {
            writer.Append([StreamTestData.Row(0, "api", 0)]);
        }

        var future = Path.Combine(dir, "1m", "2026-09-22T00-1.arrows");
        WriteVersion(future, "2", StreamTestData.Row(5, "api", 0));

        var ex = Assert.Throws<InvalidDataException>(() => WindowHistoryReader.ReadFile(future));
        Assert.Contains(future, ex.Message, StringComparison.Ordinal);
        Assert.Contains("metrics_pipeline.history_version '2'", ex.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidDataException>(() => WindowHistoryReader.QuantileNames(future));

        // Reading the directory skips it, names it, and keeps the readable file's rows.
        var notices = new List<string>();
        var rows = WindowHistoryReader.Read(dir, "1m", StreamTestData.Quantiles, notices.Add).ToList();
        Assert.Equal([StreamTestData.T0], rows.Select(r => r.StartNs));
        Assert.Contains(notices, n => n.StartsWith($"skipping unreadable history file {future}: ", StringComparison.Ordinal) && n.Contains("'2'", StringComparison.Ordinal));
    }

    [Fact]
    public void WhenAFileHasNoHistoryVersionThenItIsRefusedAsNotAWindowHistory()
    {
        var dir = StreamTestData.TempDir();
        Directory.CreateDirectory(Path.Combine(dir, "1m"));
        var path = Path.Combine(dir, "1m", "2026-09-22T00.arrows");
        WriteVersion(path, null, StreamTestData.Row(0, "api", 0));

        var ex = Assert.Throws<InvalidDataException>(() => WindowHistoryReader.ReadFile(path));
        Assert.Contains("not a window-history file", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WhenAFileIsTornThenTheNoticeNamesItAndTheRowsRead()
    {
        var dir = StreamTestData.TempDir();
        using (var writer = new WindowHistoryWriter(dir, StreamTestData.Quantiles))
        {
            writer.Append([StreamTestData.Row(0, "api", 0), StreamTestData.Row(0, "api", 1)]);
            writer.Append([StreamTestData.Row(1, "api", 0)]);
        }

        var path = Directory.GetFiles(Path.Combine(dir, "1m")).Single();
        using (var f = new FileStream(path, FileMode.Open))
        {
            f.SetLength(f.Length - 100); // drops the end marker and tears the second batch
        }

        var notices = new List<string>();
        var back = WindowHistoryReader.Read(dir, "1m", StreamTestData.Quantiles, notices.Add).ToList();

        Assert.Equal(2, back.Count);
        var notice = Assert.Single(notices);
        Assert.Contains($"history file {path} is torn", notice, StringComparison.Ordinal);
        Assert.Contains("using the 2 rows before the cut", notice, StringComparison.Ordinal);
    }

    [Fact]
    public void WhenAWriterIsStillOpenThenItsFileIsNotReportedTorn()
    {
        // The current hour's file of a running pipeline has whole batches and no end marker yet.
        var dir = StreamTestData.TempDir();
        using var writer = new WindowHistoryWriter(dir, StreamTestData.Quantiles);
        writer.Append([StreamTestData.Row(0, "api", 0)]);

        var notices = new List<string>();
        Assert.Single(WindowHistoryReader.Read(dir, "1m", StreamTestData.Quantiles, notices.Add));
        Assert.Empty(notices);
    }

    private static void WriteVersion(string path, string? version, WindowHistoryRecord row)
    {
        // The writer always stamps the current version, so the file is rebuilt here with other metadata.
        var scratch = StreamTestData.TempDir();
        using (var writer = new WindowHistoryWriter(scratch, StreamTestData.Quantiles))
        {
            writer.Append([row]);
        }

        var source = Directory.GetFiles(Path.Combine(scratch, "1m")).Single();
        using var input = new FileStream(source, FileMode.Open, FileAccess.Read);
        using var reader = new ArrowStreamReader(input);
        using var batch = reader.ReadNextRecordBatch();
        var builder = new Schema.Builder();
        foreach (var field in reader.Schema.FieldsList)
        {
            builder.Field(field);
        }

        if (version is not null)
        {
            builder.Metadata(WindowHistorySchema.VersionKey, version);
        }

        var schema = builder.Build();
        using var output = File.Create(path);
        using var arrow = new ArrowStreamWriter(output, schema);
        arrow.WriteRecordBatch(new RecordBatch(schema, Enumerable.Range(0, batch.ColumnCount).Select(batch.Column), batch.Length));
        arrow.WriteEnd();
    }
}
