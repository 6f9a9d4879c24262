using MetricsPipeline.Ingest.Model;
using MetricsPipeline.Sinks.Batching;
using MetricsPipeline.Sinks.Files;
using MetricsPipeline.Sinks.Tests.Support;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace MetricsPipeline.Sinks.Tests.Files;

public sealed class LineProtocolFileWriterTests : IDisposable
{
    private static readonly long Hour15 = new DateTimeOffset(2026, 11, 22, 15, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds() * 1_000_000;
    private const long OneHourNs = 3_600_000_000_000;
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "lp-files-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public async Task WhenABatchSpansTwoHoursThenEachHourGoesToItsOwnFileInOrder()
    {
        var writer = new LineProtocolFileWriter(new LineProtocolFileOptions { Directory = _directory, FilePrefix = "cpu" });

        await writer.WriteBatchAsync([Points.Cpu("a", 1, Hour15 + 5), Points.Cpu("b", 2, Hour15 + OneHourNs - 1), Points.Cpu("c", 3, Hour15 + OneHourNs)], TestContext.Current.CancellationToken);

        Assert.Equal(Path.Combine(_directory, "cpu-20261122-15.lp"), writer.PathFor(Hour15 + 5));
        Assert.Equal($"cpu,host=a usage=1 {Hour15 + 5}\ncpu,host=b usage=2 {Hour15 + OneHourNs - 1}\n", await File.ReadAllTextAsync(writer.PathFor(Hour15), TestContext.Current.CancellationToken));
        Assert.Equal($"cpu,host=c usage=3 {Hour15 + OneHourNs}\n", await File.ReadAllTextAsync(Path.Combine(_directory, "cpu-20261122-16.lp"), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task WhenTwoBatchesFallInTheSameHourThenTheSecondIsAppended()
    {
        var writer = new LineProtocolFileWriter(new LineProtocolFileOptions { Directory = _directory });

        await writer.WriteBatchAsync([Points.Cpu("a", 1, Hour15)], TestContext.Current.CancellationToken);
        await writer.WriteBatchAsync([Points.Cpu("b", 2, Hour15 + 1)], TestContext.Current.CancellationToken);

        var lines = await File.ReadAllLinesAsync(writer.PathFor(Hour15), TestContext.Current.CancellationToken);
        Assert.Equal([$"cpu,host=a usage=1 {Hour15}", $"cpu,host=b usage=2 {Hour15 + 1}"], lines);
    }

    [Fact]
    public async Task WhenAPointHasNoTimestampThenItIsFiledUnderTheCurrentHourWithoutOne()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 22, 15, 30, 0, TimeSpan.Zero));
        var writer = new LineProtocolFileWriter(new LineProtocolFileOptions { Directory = _directory }, time);
        var point = new MetricPoint("m", [], [new("v", FieldValue.FromInt64(1))], null);
        var invalid = new MetricPoint("m", [], [new("v", FieldValue.FromDouble(double.NaN))], Hour15);

        await writer.WriteBatchAsync([point, invalid], TestContext.Current.CancellationToken);

        Assert.Equal("m v=1i\n", await File.ReadAllTextAsync(writer.PathFor(Hour15), TestContext.Current.CancellationToken));
        Assert.Equal(1, writer.InvalidPointsSkipped);
    }

    [Fact]
    public async Task WhenUsedBehindTheBatchingSinkThenAcknowledgedPointsAreOnDisk()
    {
        var writer = new LineProtocolFileWriter(new LineProtocolFileOptions { Directory = _directory });
        await using var sink = new BatchingSink<MetricPoint>(writer, new BatchingSinkOptions { MaxBatchSize = 10 }, "files");
        var points = Enumerable.Range(0, 25).Select(i => Points.Cpu("h" + i, i, Hour15 + i)).ToArray();

        var ack = await sink.EnqueueAsync(points, TestContext.Current.CancellationToken);
        await sink.FlushAsync(TestContext.Current.CancellationToken);
        await ack;

        var lines = await File.ReadAllLinesAsync(writer.PathFor(Hour15), TestContext.Current.CancellationToken);
        Assert.Equal(25, lines.Length);
        Assert.Equal($"cpu,host=h24 usage=24 {Hour15 + 24}", lines[^1]);
    }
}
