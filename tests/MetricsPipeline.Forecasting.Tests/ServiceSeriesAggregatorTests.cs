using MetricsPipeline.Forecasting.History;
using MetricsPipeline.Forecasting.Streaming;
using Xunit;

namespace MetricsPipeline.Forecasting.Tests;

public sealed class ServiceSeriesAggregatorTests
{
    [Fact]
    public void WhenAServiceHasSeveralInstancesThenOneValuePerServiceAndWindowCombinesThem()
    {
        var series = new List<ForecastSeriesOptions>
        {
            new() { Name = "rps", Combine = CombineMethod.Sum },
            new() { Name = "rps_mean", Combine = CombineMethod.Mean },
            new() { Name = "p95", Statistic = "p95", Combine = CombineMethod.Max },
        };
        var aggregator = new ServiceSeriesAggregator(series, StreamTestData.Quantiles);
        var rows = new List<WindowHistoryRecord>
        {
            StreamTestData.Row(1, "api", 0, value: 10),
            StreamTestData.Row(0, "api", 0, value: 1),
            StreamTestData.Row(0, "api", 1, value: 2),
            StreamTestData.Row(0, "web", 0, value: 5),
            StreamTestData.Row(0, "api", 2, "cpu_percent", value: 99), // not configured
        };

        var result = aggregator.Aggregate(rows);

        Assert.Equal(9, result.Count);
        Assert.All(result.Take(6), o => Assert.Equal(StreamTestData.T0, o.StartNs)); // ordered by window start
        double Value(int s, string service, int minute) => result.Single(o => o.Series == s && o.Group == service && o.StartNs == StreamTestData.T0 + (minute * StreamTestData.MinuteNs)).Value;
        Assert.Equal(3, Value(0, "api", 0));
        Assert.Equal(1.5, Value(1, "api", 0));
        Assert.Equal(2.5, Value(2, "api", 0)); // p95 column = value + 0.5, max over instances
        Assert.Equal(5, Value(0, "web", 0));
        Assert.Equal(10, Value(0, "api", 1));
        Assert.Equal("service.request_rate.mean.1m|service=api", result.First(o => o.Series == 0 && o.Group == "api").SeriesKey);
    }

    [Fact]
    public void WhenTheStatisticIsUnknownThenConstructionNamesIt()
    {
        var ex = Assert.Throws<ArgumentException>(() => new ServiceSeriesAggregator([new ForecastSeriesOptions { Statistic = "p42" }], StreamTestData.Quantiles));
        Assert.Contains("p42", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WhenUngroupedThenEverySourceSeriesIsItsOwnForecastSeries()
    {
        var aggregator = new ServiceSeriesAggregator([new ForecastSeriesOptions { GroupBy = string.Empty }], StreamTestData.Quantiles);
        var result = aggregator.Aggregate([StreamTestData.Row(0, "api", 0), StreamTestData.Row(0, "api", 1)]);
        Assert.Equal(2, result.Select(o => o.SeriesKey).Distinct().Count());
    }
}
