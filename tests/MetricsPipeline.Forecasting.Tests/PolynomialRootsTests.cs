using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using MetricsPipeline.Forecasting;
using Xunit;

namespace MetricsPipeline.Forecasting.Tests;

public sealed class PolynomialRootsTests
{
    [Theory]
    [InlineData(3, 1)]
    [InlineData(12, 2)]
    [InlineData(99, 3)]
    public void WhenAPolynomialIsSolvedThenTheRootsMatchMathNetsCompanionEigenvalues(int degree, int seed)
    {
        var rng = new Random(seed);
        var c = Enumerable.Range(0, degree).Select(_ => (rng.NextDouble() - 0.5) * 0.2).ToArray();
        var roots = PolynomialRoots.Find(c)!;
        var companion = Matrix<double>.Build.Dense(degree, degree, (i, j) => j == degree - 1 ? -c[i] : (i == j + 1 ? 1 : 0));
        var expected = companion.Evd(Symmetricity.Asymmetric).EigenValues.ToArray();
        foreach (var z in expected)
        {
            double nearest = roots.Min(r => (r - z).Magnitude);
            Assert.True(nearest < 1e-8, $"root {z} missing (nearest {nearest})");
        }
    }

    [Fact]
    public void WhenOneRootIsReplacedThenTheOtherRootsAreKept()
    {
        // (z − 2)(z − 0.5)(z² + 1) → replace 2 by 1.
        Complex[] roots = [2, 0.5, Complex.ImaginaryOne, -Complex.ImaginaryOne];
        var c = PolynomialRoots.Rebuild(roots);
        Complex[] moved = [1, 0.5, Complex.ImaginaryOne, -Complex.ImaginaryOne];
        var replaced = PolynomialRoots.Replace(c, roots, moved);
        var expected = PolynomialRoots.Rebuild(moved);
        for (int j = 0; j < 4; j++)
        {
            Assert.Equal(expected[j], replaced[j], 1e-12);
        }
    }
}
