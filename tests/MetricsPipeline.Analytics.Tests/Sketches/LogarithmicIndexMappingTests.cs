using CsCheck;
using MetricsPipeline.Analytics.Sketches;
using MetricsPipeline.Testing;
using Xunit;

namespace MetricsPipeline.Analytics.Tests.Sketches;

public sealed class LogarithmicIndexMappingTests
{
    private static readonly Gen<double> PositiveNormals =
        Gen.Select(Gen.Double[-307, 307], Gen.Double[1, 10]).Select((exponent, mantissa) => mantissa * Math.Pow(10, exponent));

    [Theory]
    [InlineData(0.0001)]
    [InlineData(0.001)]
    [InlineData(0.01)]
    [InlineData(0.02)]
    [InlineData(0.1)]
    [InlineData(0.5)]
    [InlineData(0.9)]
    public void WhenAValueIsMappedThenItsBucketValueIsWithinAlpha(double alpha)
    {
        var mapping = LogarithmicIndexMapping.For(alpha);
        PositiveNormals.Sample(x =>
        {
            int index = mapping.Index(x);
            double value = mapping.Value(index);
            return Math.Abs(value - x) <= alpha * x * (1 + 1e-12)
                && mapping.LowerBound(index) <= x
                && x < mapping.LowerBound(index + 1);
        }, iter: PropertyIterations.Scaled(2000));
    }

    [Theory]
    [InlineData(0.0001)]
    [InlineData(0.00037)]
    [InlineData(0.001)]
    [InlineData(0.01)]
    [InlineData(0.0137)]
    [InlineData(0.3)]
    [InlineData(0.9)]
    public void WhenTheEdgesAreRoundedToTheGridThenEveryBucketSpansAtMostGamma(double alpha)
    {
        // The guarantee rests on this: the grid-rounded edges of every bucket of a binade are at most γ apart, and a value
        // exactly on an edge starts the next bucket while the double just below it stays in the previous one.
        var mapping = LogarithmicIndexMapping.For(alpha);
        double gamma = (1 + alpha) / (1 - alpha);
        int first = mapping.Index(1.0);
        for (int j = 0; j < mapping.BucketsPerBinade; j++)
        {
            double low = mapping.LowerBound(first + j);
            double high = mapping.LowerBound(first + j + 1);
            Assert.True(high / low <= gamma, $"bucket {j} of {mapping.BucketsPerBinade}: {high} / {low} > {gamma}");
            Assert.Equal(first + j, mapping.Index(low));
            Assert.Equal(first + j, mapping.Index(Math.BitDecrement(high)));
            Assert.True(Math.Abs(mapping.Value(first + j) - low) <= alpha * low * (1 + 1e-12));
            Assert.True(Math.Abs(mapping.Value(first + j) - Math.BitDecrement(high)) <= alpha * high * (1 + 1e-12));
        }
    }

    [Fact]
    public void WhenAlphaIsOnePercentThenTheGridHasAtMostEightThousandCellsAndIdealBuckets()
    {
        // A larger grid would still be exact but would take more of the L1 cache that Add's lookup relies on.
        var mapping = LogarithmicIndexMapping.For(0.01);

        Assert.InRange(mapping.GridBits, 8, 13);
        Assert.Equal(1 << mapping.GridBits, mapping.Grid.Length);
        Assert.Equal(35, mapping.BucketsPerBinade);
    }

    [Fact]
    public void WhenAlphaIsTinyThenBucketsGrowOnlyAFewPercentBeyondTheIdeal()
    {
        var mapping = LogarithmicIndexMapping.For(0.0001);
        int ideal = (int)Math.Ceiling(1 / Math.Log2(1.0001 / 0.9999));

        Assert.Equal(16, mapping.GridBits);
        Assert.InRange(mapping.BucketsPerBinade, ideal, (int)(ideal * 1.15));
    }

    [Fact]
    public void WhenValuesIncreaseThenIndicesNeverDecrease()
    {
        var mapping = LogarithmicIndexMapping.For(0.01);
        Gen.Select(PositiveNormals, PositiveNormals).Sample((a, b) =>
        {
            double low = Math.Min(a, b);
            double high = Math.Max(a, b);
            return mapping.Index(low) <= mapping.Index(high);
        }, iter: PropertyIterations.Scaled(2000));
    }

    [Fact]
    public void WhenAlphaIsOnePercentThenABinadeHoldsThirtyFiveBuckets()
    {
        var mapping = LogarithmicIndexMapping.For(0.01);

        Assert.Equal(35, mapping.BucketsPerBinade);
        Assert.Equal(mapping.Index(1.0) + 35, mapping.Index(2.0));
        Assert.Equal(mapping.MinIndex, mapping.Index(2.2250738585072014E-308));
        Assert.Equal(mapping.MaxIndex, mapping.Index(double.MaxValue));
    }

    [Fact]
    public void WhenTheAccuracyIsTheSameThenTheMappingIsShared()
    {
        Assert.Same(LogarithmicIndexMapping.For(0.01), LogarithmicIndexMapping.For(0.01));
    }
}
