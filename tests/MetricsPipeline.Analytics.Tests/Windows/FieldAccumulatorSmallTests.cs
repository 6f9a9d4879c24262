using MetricsPipeline.Analytics.Windows;
using Xunit;

namespace MetricsPipeline.Analytics.Tests.Windows;

public class FieldAccumulatorSmallTests
{
    private static readonly double[] Quantiles = [0, 0.5, 1];

    [Theory]
    [InlineData(new double[] { 7 })]
    [InlineData(new double[] { 5, 1 })]
    [InlineData(new double[] { 1, 5 })]
    [InlineData(new double[] { 3, 1, 2 })]
    [InlineData(new double[] { 9, -4, 0, 2.5, 8, 8, 1 })]
    [InlineData(new double[] { 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1 })]
    [InlineData(new double[] { 17, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1 })]
    public void WhenAWindowHoldsFewValuesThenItsQuantilesAndSketchCopyAreThoseOfTheValues(double[] values)
    {
        var acc = new FieldAccumulator(exact: true);
        // Twice: the second round runs on the reset accumulator, whose value array is kept.
        for (var round = 0; round < 2; round++)
        {
            for (var i = 0; i < values.Length; i++)
            {
                acc.Add(1_000 + (round * 100) + i, values[i]);
            }

            var sorted = values.Order().ToArray();
            var results = new double[Quantiles.Length];
            acc.GetQuantiles(Quantiles, results);
            for (var q = 0; q < Quantiles.Length; q++)
            {
                Assert.Equal(sorted[(int)Math.Floor(Quantiles[q] * (sorted.Length - 1))], results[q]);
            }

            var copy = acc.CopySketch();
            Assert.Equal(values.Length, copy.Count);
            Assert.Equal(sorted[0], copy.GetQuantile(0));
            Assert.Equal(sorted[^1], copy.GetQuantile(1));
            acc.Reset();
            Assert.Equal(0, acc.Count);
        }
    }
}
