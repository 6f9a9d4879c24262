using MetricsPipeline.Forecasting;
using Xunit;

namespace MetricsPipeline.Forecasting.Tests;

/// <summary>Drives two models side by side and checks that they stay identical, bit for bit.</summary>
internal static class ForecastTwins
{
    /// <summary>
    /// Feeds <paramref name="x"/>[<paramref name="from"/>..<paramref name="to"/>) to both models and asserts after every
    /// value that their forecasts and bounds (<paramref name="horizon"/> steps) are equal; returns the last of them.
    /// </summary>
    public static (double[] Forecast, double[] Lower, double[] Upper) AssertContinueIdentically(
        SsaForecaster expected, SsaForecaster actual, double[] x, int from, int to, int horizon)
    {
        var (f1, l1, u1) = (new double[horizon], new double[horizon], new double[horizon]);
        var (f2, l2, u2) = (new double[horizon], new double[horizon], new double[horizon]);
        for (int t = from; t < to; t++)
        {
            expected.Consume(x[t]);
            actual.Consume(x[t]);
            expected.Forecast(f1, l1, u1);
            actual.Forecast(f2, l2, u2);
            Assert.Equal(f1, f2);
            Assert.Equal(l1, l2);
            Assert.Equal(u1, u2);
        }

        return (f1, l1, u1);
    }

    /// <summary><paramref name="model"/> saved to a checkpoint and loaded back.</summary>
    public static SsaForecaster RoundTrip(SsaForecaster model)
    {
        using var stream = new MemoryStream();
        SsaCheckpoint.Save(model, stream);
        stream.Position = 0;
        return SsaCheckpoint.Load(stream);
    }

    /// <summary>
    /// <paramref name="model"/> saved, then rewritten as an older format: the fields that version lacks are the last
    /// <paramref name="laterBytes"/> bytes (each version only appends), and the version number follows the magic.
    /// Returns the model loaded from those bytes.
    /// </summary>
    public static SsaForecaster LoadAsVersion(SsaForecaster model, int version, int laterBytes)
    {
        using var stream = new MemoryStream();
        SsaCheckpoint.Save(model, stream);
        var bytes = stream.ToArray()[..^laterBytes];
        BitConverter.GetBytes(version).CopyTo(bytes, 4);
        return SsaCheckpoint.Load(new MemoryStream(bytes));
    }
}
