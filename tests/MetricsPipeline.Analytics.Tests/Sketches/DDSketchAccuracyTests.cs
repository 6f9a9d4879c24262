using CsCheck;
using MetricsPipeline.Analytics.Sketches;
using MetricsPipeline.Testing;
using Xunit;

namespace MetricsPipeline.Analytics.Tests.Sketches;

public sealed class DDSketchAccuracyTests
{
    private static readonly double[] Quantiles = [0, 0.001, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999, 1];

    // Large enough that no data set here collapses (huge-and-tiny data spans ~2000 binades); collapsing has its own tests.
    private const int NoCollapse = 1 << 20;

    [Fact]
    public void WhenDataHasAnyShapeThenEveryQuantileIsWithinTheRelativeAccuracy()
    {
        Gen.Select(SketchData.Values(), Gen.OneOf(0.01, 0.001, 0.05, 0.2))
            .Sample((values, alpha) =>
            {
                var sketch = SketchData.Sketch(values, alpha, NoCollapse);
                if (sketch.IsCollapsed)
                {
                    return false;
                }

                double[] sorted = values.Order().ToArray();
                foreach (double q in Quantiles)
                {
                    double truth = SketchData.Reference(sorted, q);
                    double estimate = sketch.GetQuantile(q);
                    if (Math.Abs(estimate - truth) > alpha * Math.Abs(truth) * (1 + 1e-12))
                    {
                        return false;
                    }
                }

                return true;
            }, iter: PropertyIterations.Scaled(300));
    }

    [Fact]
    public void WhenTheQuantileIsRandomThenTheRankConventionMatchesTheExactMode()
    {
        Gen.Select(SketchData.Values(), Gen.Double[0, 1])
            .Sample((values, q) =>
            {
                var sketch = SketchData.Sketch(values, maxBuckets: NoCollapse);
                var exact = new ExactQuantiles();
                foreach (double v in values)
                {
                    exact.Add(v);
                }

                double truth = exact.GetQuantile(q);
                return truth == SketchData.Reference(values.Order().ToArray(), q)
                    && Math.Abs(sketch.GetQuantile(q) - truth) <= 0.01 * Math.Abs(truth) * (1 + 1e-12);
            }, iter: PropertyIterations.Scaled(300));
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(0.99)]
    public void WhenValuesAreAllZeroThenQuantilesAreZero(double q)
    {
        var sketch = SketchData.Sketch([0.0, -0.0, 0.0, 1e-320]);

        Assert.Equal(0.0, sketch.GetQuantile(q));
        Assert.Equal(4, sketch.ZeroCount);
    }

    [Fact]
    public void WhenSummaryStatisticsAreReadThenTheyAreExact()
    {
        var sketch = SketchData.Sketch([3.0, -2.0, 10.0, 0.0]);

        Assert.Equal(4, sketch.Count);
        Assert.Equal(11.0, sketch.Sum);
        Assert.Equal(-2.0, sketch.Min);
        Assert.Equal(10.0, sketch.Max);
        Assert.Equal(-2.0, sketch.GetQuantile(0));
        Assert.Equal(10.0, sketch.GetQuantile(1));
    }

    [Fact]
    public void WhenTheSketchIsEmptyThenQuantilesAndExtremesAreNaN()
    {
        var sketch = new DDSketch();

        Assert.True(double.IsNaN(sketch.GetQuantile(0.5)));
        Assert.True(double.IsNaN(sketch.Min));
        Assert.True(double.IsNaN(sketch.Max));
        Assert.Equal(0, sketch.Count);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void WhenAValueIsNotFiniteThenAddThrowsAndTheSketchIsUnchanged(double value)
    {
        var sketch = SketchData.Sketch([1.0]);

        Assert.Throws<ArgumentOutOfRangeException>(() => sketch.Add(value));
        Assert.Throws<ArgumentOutOfRangeException>(() => sketch.Add(value, 3));
        Assert.Equal(1, sketch.Count);
        Assert.Equal(1.0, sketch.Sum);
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.1)]
    [InlineData(double.NaN)]
    public void WhenTheQuantileIsOutsideZeroToOneThenGetQuantileThrows(double q)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SketchData.Sketch([1.0]).GetQuantile(q));
    }

    [Fact]
    public void WhenAValueIsAddedWithACountThenTheSketchEqualsAddingItThatManyTimes()
    {
        Gen.Select(SketchData.Values(1, 50), Gen.Int[0, 20])
            .Sample((values, count) =>
            {
                var weighted = new DDSketch();
                var repeated = new DDSketch();
                foreach (double v in values)
                {
                    weighted.Add(v, count);
                    for (int i = 0; i < count; i++)
                    {
                        repeated.Add(v);
                    }
                }

                return weighted.HasSameBuckets(repeated) && weighted.Count == repeated.Count
                    && (weighted.Count == 0 || (weighted.Min == repeated.Min && weighted.Max == repeated.Max));
            }, iter: PropertyIterations.Scaled(200));
    }
}
