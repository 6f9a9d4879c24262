using MetricsPipeline.Decisions.Simulation;
using Xunit;

namespace MetricsPipeline.Decisions.Tests;

/// <summary>
/// <see cref="LoadTrace.ReadCsv(TextReader, string)"/> reads RFC 4180 CSV, as the forecasting commands do: quoted fields
/// may hold commas and doubled quotes; a quote left open is a <see cref="FormatException"/> naming the line.
/// </summary>
public sealed class LoadTraceCsvQuotingTests
{
    private static LoadTrace Read(string text) => LoadTrace.ReadCsv(new StringReader(text), "trace");

    [Fact]
    public void WhenTimestampsAreQuotedWithACommaThenEveryRowIsAPoint()
    {
        // Without a header too: a quoted first row whose timestamp starts with a letter is a row, not a header.
        var trace = Read("\"Jan 1, 2026 00:00\",5\n\"Jan 1, 2026 00:01\",7\n\"Jan 1, 2026 00:02\",9\n");

        Assert.Equal(3, trace.Points.Count);
        Assert.Equal(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), trace.Start);
        Assert.Equal([5.0, 7, 9], trace.Points.Select(p => p.Load));
    }

    [Fact]
    public void WhenTheHeaderIsQuotedWithDoubledQuotesAndCommentsSurroundItThenItIsSkipped()
    {
        var trace = Read("# exported \"as is\", by hand\n\"time \"\"UTC\"\", minute\",load\n\"2026-01-01 00:00\",\"5\"\n# a note\n2026-01-01 00:01,6\n");

        Assert.Equal([5.0, 6], trace.Points.Select(p => p.Load));
    }

    [Fact]
    public void WhenAQuoteIsNotClosedThenReadingFailsWithTheLineItOpenedOn()
    {
        var e = Assert.Throws<FormatException>(() => Read("timestamp,value\n2026-01-01 00:00,5\n\"2026-01-01 00:01,6\n2026-01-01 00:02,7\n"));

        Assert.StartsWith("trace:3: a quoted field is not closed", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WhenARowHasAThirdFieldThenItIsStillRefusedAsBefore()
    {
        var e = Assert.Throws<FormatException>(() => Read("timestamp,value\n2026-01-01 00:00,5\n2026-01-01 00:01,6,7\n"));

        Assert.StartsWith("trace:3: expected 'timestamp,value', got '2026-01-01 00:01,6,7'", e.Message, StringComparison.Ordinal);
    }
}
