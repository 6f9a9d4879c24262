using MetricsPipeline.Anomaly.Nab;
using Xunit;

namespace MetricsPipeline.Anomaly.Tests;

/// <summary>
/// A <c>windows.json</c> of the wrong shape or naming a file the corpus does not have is refused naming the file, as an
/// <see cref="InvalidDataException"/> (the <c>nab</c> command's usage error). Before, the wrong shapes escaped as
/// InvalidOperationException or IndexOutOfRangeException (an unhandled stack trace from <c>nab</c>), and the windows of
/// a misspelt file name were dropped silently: that file was scored with no windows at all.
/// </summary>
public sealed class NabCorpusReaderWindowsTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"mp-nab-windows-{Guid.NewGuid():N}");

    public NabCorpusReaderWindowsTests()
    {
        Directory.CreateDirectory(Path.Combine(_root, "cat"));
        File.WriteAllText(Path.Combine(_root, "cat", "a.csv"), "timestamp,value\n2026-01-01 00:00:00,1\n2026-01-01 00:05:00,2\n2026-01-01 00:10:00,3\n");
    }

    [Theory]
    [InlineData("[1, 2]", "must be an object")]
    [InlineData("""{ "cat/a.csv": "2026-01-01 00:05:00" }""", "the windows of 'cat/a.csv' are not a list")]
    [InlineData("""{ "cat/a.csv": [["2026-01-01 00:05:00"]] }""", "a window of 'cat/a.csv' is not [\"start\", \"end\"]")]
    [InlineData("""{ "cat/a.csv": [[1, 2]] }""", "a window of 'cat/a.csv' is not [\"start\", \"end\"]")]
    [InlineData("""{ "cat/A.csv": [["2026-01-01 00:05:00", "2026-01-01 00:10:00"]] }""", "has windows for 'cat/A.csv', which is no CSV file of the corpus")]
    public void WhenWindowsJsonIsMalformedOrNamesAnUnknownFileThenTheErrorNamesIt(string json, string expected)
    {
        string windows = Path.Combine(_root, "windows.json");
        File.WriteAllText(windows, json);

        var error = Assert.Throws<InvalidDataException>(() => NabCorpusReader.Read(_root));

        Assert.StartsWith($"'{windows}'", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
