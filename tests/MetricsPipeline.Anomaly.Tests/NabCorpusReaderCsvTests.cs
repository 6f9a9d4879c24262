using MetricsPipeline.Anomaly.Nab;
using Xunit;

namespace MetricsPipeline.Anomaly.Tests;

/// <summary>
/// NAB series files are read as RFC 4180 writes them (the shared <c>CsvRecords</c> reader): quoted fields, extra columns
/// and a quote left open. Before, a line was split at its first comma, so a quoted timestamp failed to parse and a third
/// column (NAB's labelled files carry one) made the value "not a number".
/// </summary>
public sealed class NabCorpusReaderCsvTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"mp-nab-csv-{Guid.NewGuid():N}");

    public NabCorpusReaderCsvTests() => Directory.CreateDirectory(_directory);

    [Fact]
    public void WhenTimestampsAreQuotedAndAThirdColumnFollowsThenTheRowsReadAsTimestampAndValue()
    {
        string path = Write("quoted.csv", "\"timestamp\",\"value\",\"label\"\n\"2014-04-01 00:00:00\",\"20.5\",0\n\"2014-04-01 00:05:00\",21,1\n");

        var (timestamps, values) = NabCorpusReader.ReadSeries(path);

        Assert.Equal([new DateTime(2014, 4, 1, 0, 0, 0, DateTimeKind.Utc), new DateTime(2014, 4, 1, 0, 5, 0, DateTimeKind.Utc)], timestamps);
        Assert.Equal([20.5, 21.0], values);
    }

    [Fact]
    public void WhenAQuoteIsLeftOpenThenTheErrorNamesTheFileAndLine()
    {
        string path = Write("open.csv", "timestamp,value\n2014-04-01 00:00:00,1\n\"2014-04-01 00:05:00,2\n");

        var error = Assert.Throws<InvalidDataException>(() => NabCorpusReader.ReadSeries(path));

        Assert.StartsWith($"{path}:3:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WhenARowHasOneFieldThenTheErrorNamesItsLine()
    {
        string path = Write("short.csv", "timestamp,value\n2014-04-01 00:00:00,1\n2014-04-01 00:05:00\n");

        var error = Assert.Throws<InvalidDataException>(() => NabCorpusReader.ReadSeries(path));

        Assert.Equal($"{path}:3: expected 'timestamp,value'.", error.Message);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string Write(string name, string text)
    {
        string path = Path.Combine(_directory, name);
        File.WriteAllText(path, text);
        return path;
    }
}
