using CsCheck;
using MetricsPipeline.Analytics.Sketches;
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
        }, iter: 2000);
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
        }, iter: 2000);
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
