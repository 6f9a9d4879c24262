using MetricsPipeline.Anomaly.Auto;
using MetricsPipeline.Anomaly.Sequential;
using MetricsPipeline.Anomaly.SrCnn;
using Xunit;

namespace MetricsPipeline.Anomaly.Tests;

public sealed class CheckpointTests
{
    public static TheoryData<string> Kinds => ["iid-spike", "iid-changepoint", "srcnn", "auto"];

    private static IAnomalyDetector Create(string kind) => kind switch
    {
        "iid-spike" => new IidSpikeDetector(new IidSpikeDetectorOptions { PvalueHistoryLength = 30 }),
        "iid-changepoint" => new IidChangePointDetector(new IidChangePointDetectorOptions()),
        "srcnn" => new SrCnnDetector(new SrCnnDetectorOptions()),
        _ => new AutoDetector(new AutoDetectorOptions { HistoryLength = 100, WarmUp = 20, MaxPeriod = 50 }),
    };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void WhenADetectorIsRestoredFromACheckpointThenItContinuesExactlyLikeTheOriginal(string kind)
    {
        var random = new Random(11);
        var data = Enumerable.Range(0, 400).Select(i => Math.Sin(i / 7.0) + random.NextDouble() + (i == 300 ? 9 : 0)).ToArray();
        var original = Create(kind);
        foreach (var v in data.Take(250))
        {
            original.Next(v);
        }

        using var stream = new MemoryStream();
        original.SaveCheckpoint(new BinaryWriter(stream));
        stream.Position = 0;
        var restored = Create(kind);
        restored.RestoreCheckpoint(new BinaryReader(stream));
        foreach (var v in data.Skip(250))
        {
            Assert.Equal(original.Next(v), restored.Next(v));
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void WhenADetectorIsResetThenItRepeatsItsFirstOutputs(string kind)
    {
        var data = Enumerable.Range(0, 200).Select(i => Math.Cos(i / 5.0)).ToArray();
        var detector = Create(kind);
        var first = data.Select(detector.Next).ToArray();
        detector.Reset();
        Assert.Equal(first, data.Select(detector.Next).ToArray());
    }

    [Fact]
    public void WhenACheckpointOfAnotherKindIsRestoredThenItIsRejected()
    {
        using var stream = new MemoryStream();
        Create("srcnn").SaveCheckpoint(new BinaryWriter(stream));
        stream.Position = 0;
        Assert.Throws<InvalidDataException>(() => Create("auto").RestoreCheckpoint(new BinaryReader(stream)));
    }
}
