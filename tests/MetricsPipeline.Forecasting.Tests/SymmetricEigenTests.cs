using MathNet.Numerics.LinearAlgebra;
using MetricsPipeline.Forecasting;
using Xunit;

namespace MetricsPipeline.Forecasting.Tests;

public sealed class SymmetricEigenTests
{
    public static TheoryData<string> Matrices => ["lag covariance L=100", "lag covariance of a pure sinusoid L=48", "random 50x50", "diagonal with repeats", "2x2"];

    [Theory]
    [MemberData(nameof(Matrices))]
    public void WhenASymmetricMatrixIsDecomposedThenEveryPairSolvesTheEigenEquationTheVectorsAreOrthonormalAndTheValuesMatchMathNet(string name)
    {
        var (c, n) = Build(name);
        Assert.True(SymmetricEigen.TryDecompose((double[])c.Clone(), n, new Float32(false), out var values, out var vectors));
        double norm = Enumerable.Range(0, n).Max(i => Enumerable.Range(0, n).Sum(j => Math.Abs(c[(i * n) + j])));
        for (int i = 0; i < n; i++)
        {
            if (i > 0)
            {
                Assert.True(values[i] <= values[i - 1], $"{name}: eigenvalues not descending at {i}");
            }

            var v = vectors.AsSpan(i * n, n);
            for (int j = 0; j < n; j++)
            {
                double cv = 0;
                for (int k = 0; k < n; k++)
                {
                    cv += c[(j * n) + k] * v[k];
                }

                Assert.True(Math.Abs(cv - (values[i] * v[j])) <= 1e-13 * norm, $"{name}: residual of pair {i} at {j}");
            }

            for (int i2 = i; i2 < n; i2++)
            {
                double dot = 0;
                for (int k = 0; k < n; k++)
                {
                    dot += v[k] * vectors[(i2 * n) + k];
                }

                Assert.True(Math.Abs(dot - (i == i2 ? 1 : 0)) <= 1e-13, $"{name}: vectors {i} and {i2} not orthonormal ({dot})");
            }
        }

        var expected = Matrix<double>.Build.Dense(n, n, (double[])c.Clone()).Evd(Symmetricity.Symmetric).EigenValues.Select(z => z.Real).OrderDescending().ToArray();
        for (int i = 0; i < n; i++)
        {
            Assert.True(Math.Abs(expected[i] - values[i]) <= 1e-13 * norm, $"{name}: eigenvalue {i} {values[i]} against MathNet's {expected[i]}");
        }
    }

    [Fact]
    public void WhenTheMatrixIsZeroThenTheLastUnitVectorIsAnEigenvectorSoTheTrainerSeesAStandardEigenvector()
    {
        // The trainer's "standard eigenvector" check (an all-zero series) relies on some eigenvector having last component ±1.
        const int n = 24;
        Assert.True(SymmetricEigen.TryDecompose(new double[n * n], n, new Float32(true), out _, out var vectors));
        Assert.Contains(Enumerable.Range(0, n), i => (float)vectors[(i * n) + n - 1] * (float)vectors[(i * n) + n - 1] == 1f);
    }

    private static (double[] C, int N) Build(string name)
    {
        var f = new Float32(false);
        switch (name)
        {
            case "lag covariance L=100":
            {
                var rng = new Random(1);
                var x = Enumerable.Range(0, 2000).Select(t => 100 + (20 * Math.Sin(2 * Math.PI * t / 48)) + (0.01 * t) + (3 * rng.NextDouble())).ToArray();
                return (LagCovariance.Build(x, 100, f), 100);
            }

            case "lag covariance of a pure sinusoid L=48":
            {
                var x = Enumerable.Range(0, 1000).Select(t => 10 + (5 * Math.Sin(2 * Math.PI * t / 24))).ToArray();
                return (LagCovariance.Build(x, 48, f), 48);
            }

            case "random 50x50":
            {
                var rng = new Random(7);
                var c = new double[50 * 50];
                for (int i = 0; i < 50; i++)
                {
                    for (int j = 0; j <= i; j++)
                    {
                        c[(i * 50) + j] = c[(j * 50) + i] = rng.NextDouble() - 0.5;
                    }
                }

                return (c, 50);
            }

            case "diagonal with repeats":
            {
                double[] d = [3, 1, 3, -2, 1, 0, 3];
                var c = new double[49];
                for (int i = 0; i < 7; i++)
                {
                    c[(i * 7) + i] = d[i];
                }

                return (c, 7);
            }

            default:
                return ([2, 1, 1, 2], 2);
        }
    }
}
