using System.Numerics;
using MathNet.Numerics.IntegralTransforms;

namespace MetricsPipeline.Anomaly.SrCnn;

/// <summary>ML.NET-style <c>DetectSeasonality</c>: the dominant period of an FFT periodogram, or −1 when there is none.</summary>
public static class SeasonalityDetector
{
    /// <summary>
    /// Returns the period (in points) of the strongest periodogram peak if it carries a clear share of the power and repeats
    /// at least twice in the data, else −1.
    /// </summary>
    /// <param name="values">The series.</param>
    /// <param name="minimumPowerShare">Share of the non-DC power the peak must hold. The default is 0.1.</param>
    public static int DetectSeasonality(ReadOnlySpan<double> values, double minimumPowerShare = 0.1)
    {
        var n = values.Length;
        if (n < 8)
        {
            return -1;
        }

        double mean = 0;
        foreach (var v in values)
        {
            mean += v;
        }

        mean /= n;
        var spectrum = new Complex[n];
        for (var i = 0; i < n; i++)
        {
            spectrum[i] = new Complex(values[i] - mean, 0);
        }

        Fourier.Forward(spectrum, FourierOptions.Matlab);
        double total = 0;
        double best = 0;
        var bestK = -1;
        for (var k = 1; k <= n / 2; k++)
        {
            var power = spectrum[k].Magnitude * spectrum[k].Magnitude;
            total += power;
            if (k >= 2 && power > best)
            {
                best = power;
                bestK = k;
            }
        }

        if (bestK < 0 || total <= 0 || best / total < minimumPowerShare)
        {
            return -1;
        }

        return (int)Math.Round((double)n / bestK);
    }
}
