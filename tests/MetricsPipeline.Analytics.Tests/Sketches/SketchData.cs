using CsCheck;
using MetricsPipeline.Analytics.Sketches;

namespace MetricsPipeline.Analytics.Tests.Sketches;

/// <summary>Generators of data sets of many shapes, drawn from a seeded <see cref="Random"/> so shrinking stays cheap.</summary>
internal static class SketchData
{
    public const int ShapeCount = 10;

    public static readonly string[] ShapeNames =
    [
        "lognormal", "pareto", "uniform", "mixed-sign normal", "constant", "huge and tiny magnitudes",
        "zeros and positives", "bimodal", "negative lognormal", "integers",
    ];

    /// <summary>A data set: shape, size and seed; arrays of 0 to <paramref name="maxLength"/> values.</summary>
    public static Gen<double[]> Values(int minLength = 1, int maxLength = 2000) =>
        Gen.Select(Gen.Int[0, ShapeCount - 1], Gen.Int[minLength, maxLength], Gen.Int, Gen.Double[-30, 30], Gen.Double[0.05, 4])
            .Select((shape, n, seed, location, scale) => Make(shape, n, seed, location, scale));

    public static double[] Make(int shape, int n, int seed, double location, double scale)
    {
        var random = new Random(seed);
        var data = new double[n];
        for (int i = 0; i < n; i++)
        {
            data[i] = shape switch
            {
                0 => Math.Exp(location + (scale * Normal(random))),
                1 => Math.Exp(location / 3) / Math.Pow(1 - random.NextDouble(), 1 / scale),
                2 => location + (scale * 100 * random.NextDouble()),
                3 => scale * 1000 * Normal(random),
                4 => location,
                5 => (random.Next(2) == 0 ? -1 : 1) * Math.Pow(10, (random.NextDouble() * 600) - 300),
                6 => random.Next(3) == 0 ? 0.0 : Math.Exp(scale * Normal(random)),
                7 => random.Next(2) == 0 ? 10 + Normal(random) : 1000 + (50 * Normal(random)),
                8 => -Math.Exp(location + (scale * Normal(random))),
                _ => random.Next(-5, 1000),
            };
        }

        return data;
    }

    /// <summary>The reference quantile: the exact value of 0-based rank floor(q·(n−1)) in the sorted data.</summary>
    public static double Reference(double[] sorted, double q) => sorted[(long)Math.Floor(q * (sorted.Length - 1))];

    public static DDSketch Sketch(IEnumerable<double> values, double alpha = 0.01, int maxBuckets = 2048)
    {
        var sketch = new DDSketch(alpha, maxBuckets);
        foreach (double v in values)
        {
            sketch.Add(v);
        }

        return sketch;
    }

    private static double Normal(Random random)
    {
        double u = 1 - random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u)) * Math.Cos(2 * Math.PI * random.NextDouble());
    }
}
