using CsCheck;
using MetricsPipeline.Forecasting.History;
using MetricsPipeline.Testing;
using Xunit;

namespace MetricsPipeline.Forecasting.Tests;

public sealed class WindowHistoryTests
{
    [Fact]
    public void WhenRowsAreWrittenThenTheyAreReadBackPerResolutionInHourlyFiles()
    {
        var dir = StreamTestData.TempDir();
        var rows = Enumerable.Range(0, 150).Select(m => StreamTestData.Row(m, "api", m % 3)).ToList();
        var tenSecond = StreamTestData.Row(0, "api", 0) with { Window = "10s" };
        using (var writer = new WindowHistoryWriter(dir, StreamTestData.Quantiles))
        {
            for (var i = 0; i < rows.Count; i += 7)
            {
                writer.Append(rows.Skip(i).Take(7).ToList());
            }

            writer.Append([tenSecond]);
            Assert.Equal(rows.Count + 1, writer.RowsWritten);
        }

        // T0 is a whole hour: 150 minutes span three hours.
        Assert.Equal(3, Directory.GetFiles(Path.Combine(dir, "1m"), "*.arrows").Length);
        var back = WindowHistoryReader.Read(dir, "1m").ToList();
        Assert.Equal(rows.Count, back.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            Assert.Equal(rows[i].StartNs, back[i].StartNs);
            Assert.Equal(rows[i].Tags, back[i].Tags);
            Assert.Equal(rows[i].Field, back[i].Field);
            Assert.Equal(rows[i].Count, back[i].Count);
            Assert.Equal(rows[i].Sum, back[i].Sum);
            Assert.Equal(rows[i].Min, back[i].Min);
            Assert.Equal(rows[i].Max, back[i].Max);
            Assert.Equal(rows[i].Quantiles, back[i].Quantiles);
        }

        Assert.Single(WindowHistoryReader.Read(dir, "10s"));
        Assert.Equal(StreamTestData.Quantiles, WindowHistoryReader.QuantileNames(Directory.GetFiles(Path.Combine(dir, "1m"))[0]));
    }

    [Fact]
    public void WhenTheWriterRestartsWithinAnHourThenItStartsANewFileAndKeepsTheOldOne()
    {
        var dir = StreamTestData.TempDir();
        using (var first = new WindowHistoryWriter(dir, StreamTestData.Quantiles))
        {
            first.Append([StreamTestData.Row(0, "api", 0)]);
        }

        using (var second = new WindowHistoryWriter(dir, StreamTestData.Quantiles))
        {
            second.Append([StreamTestData.Row(1, "api", 0)]);
        }

        Assert.Equal(2, Directory.GetFiles(Path.Combine(dir, "1m")).Length);
        Assert.Equal([StreamTestData.T0, StreamTestData.T0 + StreamTestData.MinuteNs], WindowHistoryReader.Read(dir, "1m").Select(r => r.StartNs));
    }

    [Fact]
    public void WhenAWindowWasWrittenTwiceThenDistinctWindowsKeepsTheLastCopy()
    {
        var rows = new[] { StreamTestData.Row(0, "api", 0, value: 1), StreamTestData.Row(0, "api", 1, value: 2), StreamTestData.Row(0, "api", 0, value: 3) };
        var distinct = WindowHistoryReader.DistinctWindows(rows).ToList();
        Assert.Equal(2, distinct.Count);
        Assert.Equal(3, distinct.Single(r => r.Tag("instance") == "api-0").Mean);
    }

    [Fact]
    public void WhenAFileIsCutShortThenTheBatchesBeforeTheCutAreRead()
    {
        var dir = StreamTestData.TempDir();
        var writer = new WindowHistoryWriter(dir, StreamTestData.Quantiles);
        writer.Append([StreamTestData.Row(0, "api", 0)]);
        writer.Append([StreamTestData.Row(1, "api", 0)]);
        writer.Dispose();
        var path = Directory.GetFiles(Path.Combine(dir, "1m")).Single();
        var length = new FileInfo(path).Length;
        using (var f = new FileStream(path, FileMode.Open))
        {
            f.SetLength(length - 100); // drops the end marker and tears the second batch
        }

        var back = WindowHistoryReader.Read(dir, "1m").ToList();
        Assert.Equal([StreamTestData.T0], back.Select(r => r.StartNs));
    }

    [Fact]
    public void WhenTagsAreFormattedThenParsingGivesThemBack()
    {
        var text = Gen.String[Gen.Char["a=,\\ b"], 0, 6];
        Gen.Select(text, text).List[0, 4].Sample(pairs =>
        {
            var tags = pairs.Select(p => new KeyValuePair<string, string>(p.Item1, p.Item2)).ToList();
            var back = WindowHistorySchema.ParseTags(WindowHistorySchema.FormatTags(tags));
            return tags.Count == 0 ? back.Count == 0 : back.SequenceEqual(tags);
        }, iter: PropertyIterations.Scaled(100));
    }
}
