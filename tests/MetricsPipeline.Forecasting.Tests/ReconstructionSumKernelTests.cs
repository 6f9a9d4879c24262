using MetricsPipeline.Forecasting;
using Xunit;

namespace MetricsPipeline.Forecasting.Tests;

public sealed class ReconstructionSumKernelTests
{
    [Theory]
    [InlineData(50, 7)]
    [InlineData(300, 40)]
    public void WhenTheQuadraticFormIsEvaluatedThenItEqualsTheSumOfTheFullReconstruction(int n, int l)
    {
        var rng = new Random(n);
        var x = Enumerable.Range(0, n).Select(_ => rng.NextDouble() * 10).ToArray();
        var u = Enumerable.Range(0, l).Select(_ => rng.NextDouble() - 0.5).ToArray();
        var recon = new double[n];
        HankelReconstruction.Add(x, u, 0, n, recon, new Float32(false));
        double expected = recon.Sum();
        double actual = ReconstructionSumKernel.QuadraticForm(ReconstructionSumKernel.Build(x, l), u);
        Assert.Equal(expected, actual, 1e-9 * Math.Max(1, Math.Abs(expected)));
    }
}
