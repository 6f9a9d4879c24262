using MetricsPipeline.Forecasting;

namespace MetricsPipeline.Forecasting.Tests;

/// <summary>Bytes a trained model allocates while it consumes and forecasts rows 2001–2999 of its series.</summary>
internal static class SteadyStateAllocations
{
    /// <summary>
    /// Three rounds of 333 Consume + Forecast steps; the quietest round's bytes. An allocation per step shows in every
    /// round, while the runtime may now and then allocate a few kilobytes on the test's thread for its own reasons
    /// (seen in CI on a loaded machine in the hot-path allocation tests).
    /// </summary>
    public static long QuietestRound(SsaForecaster model, double[] x, int horizon)
    {
        var (f, lo, up) = (new double[horizon], new double[horizon], new double[horizon]);
        model.Consume(x[2000]);
        model.Forecast(f, lo, up);
        var rounds = new long[3];
        for (int round = 0; round < rounds.Length; round++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int t = 2001 + (333 * round); t < 2001 + (333 * (round + 1)); t++)
            {
                model.Consume(x[t]);
                model.Forecast(f, lo, up);
            }

            rounds[round] = GC.GetAllocatedBytesForCurrentThread() - before;
        }

        return rounds.Min();
    }
}
