using MetricsPipeline.Forecasting;
using Xunit;

namespace MetricsPipeline.Forecasting.Tests;

public sealed class SignalReconstructionTests
{
    [Theory]
    [InlineData(50, 7, 3)]
    [InlineData(400, 60, 10)]
    public void WhenTheProjectorFilterIsUsedThenTheSignalEqualsTheSumOfElementaryReconstructions(int n, int l, int rank)
    {
        var rng = new Random(n + l);
        var x = Enumerable.Range(0, n).Select(t => Math.Sin(t / 5.0) + rng.NextDouble()).ToArray();
        var basis = Enumerable.Range(0, rank * l).Select(_ => rng.NextDouble() - 0.5).ToArray();
        var f = new Float32(false);
        var expected = new double[n];
        for (int i = 0; i < rank; i++)
        {
            HankelReconstruction.Add(x, basis.AsSpan(i * l, l), 0, n, expected, f);
        }

        var actual = SignalReconstruction.Reconstruct(x, basis, l, rank, f);
        for (int t = 0; t < n; t++)
        {
            Assert.Equal(expected[t], actual[t], 1e-9);
        }
    }
}
