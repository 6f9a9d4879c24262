using MetricsPipeline.Ingest.Csv;
using Xunit;

namespace MetricsPipeline.Ingest.Tests.Csv;

/// <summary>The one CSV reader of the forecasting, detection and simulation inputs.</summary>
public sealed class CsvRecordsTests
{
    private static List<CsvRecord> Read(string text, bool skipComments = false) => [.. CsvRecords.Read(new StringReader(text), "f.csv", skipComments)];

    [Fact]
    public void WhenFieldsAreQuotedThenCommasLineBreaksAndDoubledQuotesAreKeptAndTheRecordStartsOnItsFirstLine()
    {
        var records = Read("a,b\n\"Jan 1, 2026\", \"say \"\"hi\"\"\" \n\"two\nlines\",3\n");

        Assert.Equal(["Jan 1, 2026", "say \"hi\""], records[1].Fields);
        Assert.Equal(2, records[1].Line);
        Assert.Equal(["two\nlines", "3"], records[2].Fields);
        Assert.Equal(3, records[2].Line);
        Assert.Equal("\"two\nlines\",3", records[2].Text);
    }

    [Fact]
    public void WhenCommentsAreSkippedThenALineStartingWithAHashIsNoRecordWhateverItsQuotes()
    {
        Assert.Equal(["1", "2"], Assert.Single(Read("# a \"note\", unclosed \"\n1,2\n", skipComments: true)).Fields);
        Assert.Throws<InvalidDataException>(() => Read("# a \"note\"\n1,2\n"));
    }

    [Theory]
    [InlineData("a,b\n\"open,1\n2,3\n", "f.csv:2: a quoted field is not closed")]
    [InlineData("a,b\nx\"y,1\n", "f.csv:2: a quote inside an unquoted field (column 1)")]
    [InlineData("a,b\n1,\"2\"x\n", "f.csv:2: text after the closing quote of a field (column 2)")]
    public void WhenAQuoteIsMalformedThenTheErrorNamesTheLine(string text, string expected)
    {
        var e = Assert.Throws<InvalidDataException>(() => Read(text));

        Assert.StartsWith(expected, e.Message, StringComparison.Ordinal);
    }
}
