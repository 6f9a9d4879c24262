using MetricsPipeline.Forecasting;
using Xunit;

namespace MetricsPipeline.Forecasting.Tests;

/// <summary>
/// The blocked kernels of the online update and the forecast promise the bits of the one-row-at-a-time kernels (the
/// backtests and simulations must not move). Lengths around the vector width and the block of four cover every tail.
/// Values spread over six decades, so a change in the order of the additions would show in the last bits.
/// </summary>
public sealed class BlockedKernelTests
{
    private static readonly int[] Lengths = [1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 98, 99, 100, 101, 102, 103];
    private static readonly int[] Counts = [0, 1, 2, 3, 4, 5, 7, 8, 9, 28, 41];

    [Fact]
    public void WhenRowsAreDottedInBlocksThenEveryDotHasTheBitsOfOneDotCall()
    {
        var rng = new Random(1);
        foreach (int n in Lengths)
        {
            foreach (int count in Counts)
            {
                var rows = Values(rng, (n * count) + rng.Next(3));
                var x = Values(rng, n);
                var dots = new double[count];
                VectorOps.DotRows(rows, x, dots);
                for (int i = 0; i < count; i++)
                {
                    Assert.Equal(Bits(VectorOps.Dot(rows.AsSpan(i * n, n), x)), Bits(dots[i]));
                }
            }
        }
    }

    [Fact]
    public void WhenRowsAreAddedInBlocksThenTheSumHasTheBitsOfOneAxpyPerRowInOrder()
    {
        var rng = new Random(2);
        foreach (int n in Lengths)
        {
            foreach (int count in Counts)
            {
                var rows = Values(rng, (n * count) + rng.Next(3));
                var weights = Values(rng, count);
                var expected = Values(rng, n);
                var actual = (double[])expected.Clone();
                for (int i = 0; i < count; i++)
                {
                    VectorOps.Axpy(weights[i], rows.AsSpan(i * n, n), expected);
                }

                VectorOps.AddRows(weights, rows, actual);
                Assert.Equal(expected.Select(Bits), actual.Select(Bits));
            }
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void WhenARecurrenceRunsInBlocksThenEveryStepHasTheBitsOfOneDotPerStep(bool float32)
    {
        var rng = new Random(3);
        var f = new Float32(float32);
        foreach (int m in Lengths)
        {
            for (int steps = 0; steps <= 13; steps++)
            {
                // Coefficients summing to about 1, so the run neither dies out nor explodes over 13 steps.
                var alpha = Enumerable.Range(0, m).Select(_ => (rng.NextDouble() + 0.5) / m).ToArray();
                var expected = new double[m + 1 + steps];
                Values(rng, m + 1).CopyTo(expected, 0);
                var actual = (double[])expected.Clone();
                for (int t = m + 1; t < expected.Length; t++)
                {
                    expected[t] = f.R(0.25 + VectorOps.Dot(alpha, expected.AsSpan(t - m, m)));
                }

                VectorOps.RunRecurrence(alpha, actual, m + 1, 0.25, f);
                Assert.Equal(expected.Select(Bits), actual.Select(Bits));
            }
        }
    }

    [Fact]
    public void WhenTheStateIsDiagonallyAveragedThenEveryElementHasTheBitsOfTheScalarFormula()
    {
        var rng = new Random(4);
        foreach (int length in Lengths)
        {
            var state = Values(rng, length);
            var tail = Values(rng, length + rng.Next(2));
            int c = length - 1;
            var expected = new double[length];
            for (int i = 0; i < c; i++)
            {
                // ML.NET's weights: c − i older estimates, divided by c − i + 1.
                expected[i] = ((((double)c - i) * state[i + 1]) + tail[i]) / ((double)c - i + 1);
            }

            expected[c] = tail[c];
            DiagonalAverage.Update(state, tail);
            Assert.Equal(expected.Select(Bits), state.Select(Bits));
        }
    }

    private static double[] Values(Random rng, int length) =>
        [.. Enumerable.Range(0, length).Select(_ => (rng.NextDouble() - 0.5) * Math.Pow(10, rng.Next(-3, 4)))];

    private static long Bits(double value) => BitConverter.DoubleToInt64Bits(value);
}
