namespace MetricsPipeline.Forecasting.Tests;

/// <summary>A simulated-fleet-like metric: 1-minute points, daily seasonality, 5 % weekly growth, Gaussian noise.</summary>
internal static class FleetSeries
{
    public static double[] Generate(int points, int seed)
    {
        var rng = new Random(seed);
        var x = new double[points];
        for (int t = 0; t < points; t++)
        {
            double day = t / 1440.0;
            double level = 100 * (1 + (0.05 * day / 7));
            double season = 30 * Math.Sin(2 * Math.PI * day) + (8 * Math.Sin(4 * Math.PI * day));
            double u1 = 1 - rng.NextDouble();
            double u2 = rng.NextDouble();
            double noise = Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
            x[t] = level + season + (4 * noise);
        }

        return x;
    }
}
