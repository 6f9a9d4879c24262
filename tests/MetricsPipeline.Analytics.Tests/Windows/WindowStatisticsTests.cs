using System.Text;
using MetricsPipeline.Analytics.Output;
using MetricsPipeline.Analytics.Pipeline;
using MetricsPipeline.Analytics.Sketches;
using MetricsPipeline.Analytics.Telemetry;
using MetricsPipeline.Analytics.Windows;
using MetricsPipeline.Ingest.Model;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace MetricsPipeline.Analytics.Tests.Windows;

public class WindowStatisticsTests
{
    private const long S = 1_000_000_000L;
    private static readonly long T0 = 1_700_000_000L * S;

    private static WindowFieldStats CloseOne(WindowOptions options, string lines, string field = "v")
    {
        var agg = new WindowAggregator(options, new PipelineCounters(), new FakeTimeProvider());
        agg.Process(new SourceMessage("m", 0, 0, Encoding.UTF8.GetBytes(lines)), []);
        var batch = agg.Drain();
        return batch.Windows.First(w => w.Size == options.Sizes[0]).Fields.Single(f => f.Field == field);
    }

    [Fact]
    public void WhenValuesArriveOutOfOrderThenFirstAndLastFollowEventTimeAndVarianceIsTheSampleVariance()
    {
        var options = new WindowOptions { Sizes = [TimeSpan.FromSeconds(10)] };
        var stats = CloseOne(options, $"m v=4 {T0 + (5 * S)}\nm v=2 {T0 + S}\nm v=9 {T0 + (9 * S)}\nm v=5 {T0 + (3 * S)}\n");

        Assert.Equal(2, stats.First);
        Assert.Equal(9, stats.Last);
        // values 4, 2, 9, 5: mean 5, squared deviations 1 + 9 + 16 + 0 = 26, sample variance 26 / 3
        Assert.Equal(26.0 / 3, stats.Variance, 12);
        Assert.Equal(Math.Sqrt(26.0 / 3), stats.StdDev, 12);
    }

    [Fact]
    public void WhenACounterResetsThenItsIncreaseCountsTheValueAfterTheResetAndRateIsPerSecond()
    {
        var options = new WindowOptions { Sizes = [TimeSpan.FromSeconds(10)] };
        // 100 → 130 (+30), reset → 5 (+5), 5 → 20 (+15): increase 50 over 6 s.
        var stats = CloseOne(options, $"m requests_total=100 {T0}\nm requests_total=130 {T0 + (2 * S)}\nm requests_total=5 {T0 + (4 * S)}\nm requests_total=20 {T0 + (6 * S)}\n", "requests_total");

        Assert.True(stats.IsCounter);
        Assert.Equal(50, stats.Increase);
        Assert.Equal(50.0 / 6, stats.Rate, 12);
    }

    [Fact]
    public void WhenAFieldIsNotACounterThenItHasNoRateUnlessItsSeriesIsTaggedAsOne()
    {
        var options = new WindowOptions { Sizes = [TimeSpan.FromSeconds(10)] };
        var gauge = CloseOne(options, $"m v=1 {T0}\nm v=3 {T0 + S}\n");
        var tagged = CloseOne(options, $"m,metric_type=counter v=1 {T0}\nm,metric_type=counter v=3 {T0 + S}\n");

        Assert.False(gauge.IsCounter);
        Assert.True(double.IsNaN(gauge.Rate));
        Assert.True(tagged.IsCounter);
        Assert.Equal(2, tagged.Rate, 12);
    }

    [Fact]
    public void WhenSketchModeIsUsedThenEveryDefaultQuantileIsWithinOnePercentOfTheExactOne()
    {
        var random = new Random(7);
        var sb = new StringBuilder();
        for (var i = 0; i < 5000; i++)
        {
            var value = Math.Exp(random.NextDouble() * 8);
            sb.Append(System.FormattableString.Invariant($"m v={value:R} {T0 + (i * 1000L)}\n"));
        }

        var sketch = CloseOne(new WindowOptions { Sizes = [TimeSpan.FromSeconds(10)] }, sb.ToString());
        var exact = CloseOne(new WindowOptions { Sizes = [TimeSpan.FromSeconds(10)], Exact = true }, sb.ToString());

        Assert.Equal(5, sketch.Quantiles.Length);
        for (var i = 0; i < sketch.Quantiles.Length; i++)
        {
            Assert.InRange(Math.Abs(sketch.Quantiles[i] - exact.Quantiles[i]) / exact.Quantiles[i], 0, 0.01);
        }

        Assert.Equal(exact.Count, sketch.Count);
        Assert.Equal(exact.Sum, sketch.Sum, 6);
    }

    [Fact]
    public void WhenAWindowBecomesAPointThenItCarriesTheNewStatisticsAndP999WithoutADot()
    {
        var options = new WindowOptions { Sizes = [TimeSpan.FromSeconds(10)] };
        var agg = new WindowAggregator(options, new PipelineCounters(), new FakeTimeProvider());
        agg.Process(new SourceMessage("m", 0, 0, Encoding.UTF8.GetBytes($"m lat=1 {T0}\nm lat=3 {T0 + S}\nm,metric_type=x c_total=1 {T0}\nm,metric_type=x c_total=4 {T0 + S}\n")), []);
        var points = AggregatePoints.ToPoints(agg.Drain().Windows, options.Quantiles);
        var names = points.SelectMany(p => p.Fields.Select(f => f.Key)).ToHashSet();

        foreach (var suffix in new[] { "count", "sum", "min", "max", "mean", "stdev", "s2", "first", "last", "p50", "p90", "p95", "p99", "p999" })
        {
            Assert.Contains("lat_" + suffix, names);
        }

        Assert.DoesNotContain("lat_rate", names);
        Assert.Contains("c_total_rate", names);
        Assert.Contains("c_total_increase", names);
        Assert.Equal("p999", WindowOptions.FormatQuantile(0.999));
        Assert.Equal("p50", WindowOptions.FormatQuantile(0.5));
    }

    [Fact]
    public void WhenARetentionPolicyIsConfiguredForASizeThenItsWindowsCarryIt()
    {
        var options = new WindowOptions { RetentionPolicies = new Dictionary<string, string> { ["1m"] = "agg_1m" } };
        var agg = new WindowAggregator(options, new PipelineCounters(), new FakeTimeProvider());
        agg.Process(new SourceMessage("m", 0, 0, Encoding.UTF8.GetBytes($"m v=1 {T0}\n")), []);
        var windows = agg.Drain().Windows;

        Assert.Equal("agg_1m", windows.Single(w => w.Size == TimeSpan.FromMinutes(1)).RetentionPolicy);
        Assert.Null(windows.Single(w => w.Size == TimeSpan.FromSeconds(10)).RetentionPolicy);
        Assert.IsType<DDSketch>(windows.Single(w => w.Size == TimeSpan.FromMinutes(1)).Fields[0].Sketch);
        Assert.Null(windows.Single(w => w.Size == TimeSpan.FromSeconds(10)).Fields[0].Sketch);
    }
}
