using MetricsPipeline.Anomaly.Nab;
using Xunit;

namespace MetricsPipeline.Anomaly.Tests;

public sealed class NabCorpusReaderTests
{
    internal static string DataPath => MetricsPipeline.Testing.NabDevData.Root;

    [Fact]
    public void WhenTheDevelopmentCorpusIsReadThenEveryWindowMatchesRowsAfterTheProbationPeriod()
    {
        var files = NabCorpusReader.Read(DataPath);
        Assert.Equal(24, files.Count);
        Assert.Equal(34, files.Sum(f => f.Windows.Count));
        foreach (var file in files)
        {
            Assert.Equal(file.Values.Length, file.Timestamps.Count);
            foreach (var w in file.Windows)
            {
                Assert.True(w.Start >= file.Probation && w.End >= w.Start && w.End < file.Values.Length);
            }
        }
    }

    [Fact]
    public void WhenTheDirectoryIsMissingThenAClearErrorIsRaised() =>
        Assert.Throws<DirectoryNotFoundException>(() => NabCorpusReader.Read("/nonexistent/nab"));
}
