using System.Text;
using MetricsPipeline.Analytics.Pipeline;
using MetricsPipeline.Analytics.Telemetry;
using MetricsPipeline.Analytics.Windows;
using MetricsPipeline.Ingest.Model;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace MetricsPipeline.Analytics.Tests.Windows;

public class LateUpdateAndCardinalityTests
{
    private const long S = 1_000_000_000L;
    private static readonly long T0 = 1_700_000_000L * S;

    private static SourceMessage Message(long offset, string lines) => new("metrics", 0, offset, Encoding.UTF8.GetBytes(lines));

    [Fact]
    public void WhenLateUpdatesAreOnThenAPointBeyondTheGraceEmitsACorrectedWindow()
    {
        var options = new WindowOptions { Sizes = [TimeSpan.FromSeconds(10)], Grace = TimeSpan.Zero, LateUpdateHorizon = TimeSpan.FromMinutes(1) };
        var agg = new WindowAggregator(options, new PipelineCounters(), new FakeTimeProvider());
        var letters = new List<DeadLetter>();
        agg.Process(Message(0, $"m v=1 {T0}\nm v=2 {T0 + (20 * S)}\n"), letters);
        var first = Assert.Single(agg.Advance().Windows);
        Assert.Equal(0, first.Revision);

        agg.Process(Message(1, $"m v=5 {T0 + S}\n"), letters);
        var batch = agg.Advance();

        var corrected = Assert.Single(batch.Windows);
        Assert.Equal(1, corrected.Revision);
        Assert.Equal(T0, corrected.StartNs);
        Assert.Equal(2, corrected.Fields[0].Count);
        Assert.Equal(5, corrected.Fields[0].Max);
        Assert.Equal(1, agg.Counters.LateUpdates);
        Assert.Equal(1, agg.Counters.Corrections);
        Assert.Equal(0, agg.Counters.LatePoints);
        // Message 0 still feeds the open [20 s, 30 s) window, so neither offset is committable yet; draining frees both.
        Assert.Empty(batch.Commits);
        Assert.Equal(2, Assert.Single(agg.Drain().Commits).NextOffset);
    }

    [Fact]
    public void WhenLateUpdatesAreOffOrBeyondTheHorizonThenTheLatePointIsOnlyCounted()
    {
        var options = new WindowOptions { Sizes = [TimeSpan.FromSeconds(10)], Grace = TimeSpan.Zero, LateUpdateHorizon = TimeSpan.FromSeconds(30) };
        var agg = new WindowAggregator(options, new PipelineCounters(), new FakeTimeProvider());
        var letters = new List<DeadLetter>();
        agg.Process(Message(0, $"m v=1 {T0}\nm v=2 {T0 + (100 * S)}\n"), letters);
        agg.Advance();
        agg.Process(Message(1, $"m v=5 {T0 + S}\n"), letters);

        Assert.Empty(agg.Advance().Windows);
        Assert.Equal(1, agg.Counters.LatePoints);
        Assert.Equal(0, agg.Counters.LateUpdates);
    }

    [Fact]
    public void WhenAMeasurementReachesItsSeriesLimitThenOnlyItsNewSeriesAreRejectedCountedAndLogged()
    {
        var log = new List<string>();
        var agg = new WindowAggregator(new WindowOptions { MaxSeriesPerMeasurement = 2 }, new PipelineCounters(), new FakeTimeProvider()) { RejectionLog = log.Add };
        agg.Process(Message(0, $"a,s=1 v=1 {T0}\na,s=2 v=1 {T0}\na,s=3 v=1 {T0}\na,s=4 v=1 {T0}\nb,s=1 v=1 {T0}\na,s=1 v=2 {T0}\n"), []);

        Assert.Equal(3, agg.SeriesCount);
        Assert.Equal(2, agg.Counters.SeriesRejected);
        Assert.Equal(2, agg.Counters.MeasurementSeriesRejected);
        var line = Assert.Single(log);
        Assert.Contains("MaxSeriesPerMeasurement", line, StringComparison.Ordinal);
        Assert.Equal(-1, agg.RegisterSeries("a", [new("s", "9")]));
        Assert.Equal(0, agg.RegisterSeries("a", [new("s", "1")]));
    }

    [Fact]
    public void WhenPointsOfUnknownSeriesOrFieldsArePassedThenTheyAreIgnoredAndCounted()
    {
        var agg = new WindowAggregator(new WindowOptions(), new PipelineCounters(), new FakeTimeProvider());
        var id = agg.RegisterSeries("m", []);
        var field = agg.RegisterField(id, "v");
        agg.ProcessPoints([new(id, field, T0, 1), new(id + 1, 0, T0, 1), new(id, field + 1, T0, 1), new(id, field, T0, double.NaN)]);

        Assert.Equal(3, agg.Counters.NonNumericFields);
        Assert.Equal(1, agg.Drain().Windows.First().Fields.Single().Count);
    }
}
