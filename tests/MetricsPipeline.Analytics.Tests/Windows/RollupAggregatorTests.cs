using System.Text;
using MetricsPipeline.Analytics.Pipeline;
using MetricsPipeline.Analytics.Telemetry;
using MetricsPipeline.Analytics.Windows;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace MetricsPipeline.Analytics.Tests.Windows;

public class RollupAggregatorTests
{
    private const long S = 1_000_000_000L;
    private static readonly long T0 = 472_222L * 3600 * S; // a whole hour

    private static (List<WindowResult> Windows, WindowAggregator Aggregator) Aggregate(TimeSpan size, string lines)
    {
        var agg = new WindowAggregator(new WindowOptions { Sizes = [size], KeepSketchesFor = [size] }, new PipelineCounters(), new FakeTimeProvider());
        agg.Process(new SourceMessage("m", 0, 0, Encoding.UTF8.GetBytes(lines)), []);
        return (agg.Drain().Windows.ToList(), agg);
    }

    private static string Lines(int minutes, int perMinute, int seed)
    {
        var random = new Random(seed);
        var sb = new StringBuilder();
        for (var i = 0; i < minutes * perMinute; i++)
        {
            var t = T0 + (i * (60 * S / perMinute));
            sb.Append(System.FormattableString.Invariant($"lat,host=a ms={Math.Exp(random.NextDouble() * 6):R},req_total={i * 3}i {t}\n"));
        }

        return sb.ToString();
    }

    [Fact]
    public void WhenMinuteWindowsRollUpThenFiveMinuteWindowsEqualAggregatingTheRawPointsDirectly()
    {
        var lines = Lines(10, 30, 1);
        var (minutes, _) = Aggregate(TimeSpan.FromMinutes(1), lines);
        var (direct, _) = Aggregate(TimeSpan.FromMinutes(5), lines);
        var rollups = new RollupAggregator(new RollupOptions());

        var rolled = rollups.Add(minutes, long.MaxValue).Where(w => w.Size == TimeSpan.FromMinutes(5)).OrderBy(w => w.StartNs).ToList();

        Assert.Equal(2, rolled.Count);
        foreach (var (r, d) in rolled.Zip(direct.OrderBy(w => w.StartNs)))
        {
            Assert.Equal(d.StartNs, r.StartNs);
            Assert.Equal("agg_5m", r.RetentionPolicy);
            var rs = r.Fields.Single(f => f.Field == "ms");
            var ds = d.Fields.Single(f => f.Field == "ms");
            Assert.Equal(ds.Count, rs.Count);
            Assert.Equal(ds.Sum, rs.Sum, 9);
            Assert.Equal(ds.Min, rs.Min);
            Assert.Equal(ds.Max, rs.Max);
            Assert.Equal(ds.Variance, rs.Variance, 9);
            Assert.Equal(ds.First, rs.First);
            Assert.Equal(ds.Last, rs.Last);
            // Merging DDSketches is exact: the same buckets, so the same quantiles.
            Assert.Equal(ds.Quantiles, rs.Quantiles);
            var rc = r.Fields.Single(f => f.Field == "req_total");
            Assert.Equal(d.Fields.Single(f => f.Field == "req_total").Increase, rc.Increase);
        }
    }

    [Fact]
    public void WhenAnHourOfMinuteWindowsClosesThenTheHourLevelIsBuiltFromTheFiveMinuteLevel()
    {
        var lines = Lines(60, 2, 2);
        var (minutes, _) = Aggregate(TimeSpan.FromMinutes(1), lines);
        var rollups = new RollupAggregator(new RollupOptions());

        // Feed minute by minute, closing as the window stage would.
        var emitted = new List<WindowResult>();
        foreach (var minute in minutes.OrderBy(w => w.StartNs))
        {
            emitted.AddRange(rollups.Add([minute], minute.StartNs + (60 * S)));
        }

        Assert.Equal(12, emitted.Count(w => w.Size == TimeSpan.FromMinutes(5)));
        var hour = Assert.Single(emitted, w => w.Size == TimeSpan.FromHours(1));
        Assert.Equal("agg_1h", hour.RetentionPolicy);
        Assert.Equal(120, hour.Fields.Single(f => f.Field == "ms").Count);
        Assert.Equal(119 * 3, hour.Fields.Single(f => f.Field == "req_total").Increase);
        Assert.Equal(0, rollups.OpenWindows);
    }

    [Fact]
    public void WhenRetentionPolicyStatementsAreRequestedThenEveryLevelHasOne()
    {
        var statements = new RollupOptions().CreateRetentionPolicyStatements("metrics");

        Assert.Equal(
            ["CREATE RETENTION POLICY \"agg_1m\" ON \"metrics\" DURATION 168h REPLICATION 1",
             "CREATE RETENTION POLICY \"agg_5m\" ON \"metrics\" DURATION 720h REPLICATION 1",
             "CREATE RETENTION POLICY \"agg_1h\" ON \"metrics\" DURATION 9600h REPLICATION 1"],
            statements);
    }
}
