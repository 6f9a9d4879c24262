namespace MetricsPipeline.Host.Tests;

/// <summary>Small deterministic series for the CLI tests.</summary>
internal static class CliSeries
{
    /// <summary>
    /// A level of 100 with a daily-like season of <paramref name="period"/> rows (amplitude 20) and a little seeded noise:
    /// a series SSA forecasts well and on which the last value (naive) is a poor forecast half a season ahead.
    /// </summary>
    public static double[] Seasonal(int count, int period = 24, int seed = 7)
    {
        var random = new Random(seed);
        var values = new double[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = 100 + (20 * Math.Sin(2 * Math.PI * i / period)) + (random.NextDouble() - 0.5);
        }

        return values;
    }
}
