using System.Numerics;
using MathNet.Numerics.IntegralTransforms;

namespace MetricsPipeline.Forecasting;

/// <summary>
/// Dominant-period detection equivalent to ML.NET's <c>DetectSeasonality</c>: an FFT periodogram proposes a
/// frequency, the autocorrelation (inverse FFT of the periodogram) refines it to an integer period, and the period is
/// accepted only if its autocorrelation exceeds the white-noise band at <c>randomnessThreshold</c>.
/// </summary>
public static class SeasonalityDetector
{
    /// <summary>
    /// Returns the dominant period in points, or −1 if none is significant. Uses the first
    /// <paramref name="seasonalityWindowSize"/> points (−1 = all); NaN points are skipped.
    /// </summary>
    /// <param name="series">The series.</param>
    /// <param name="seasonalityWindowSize">Points to analyse; −1 (the default) means all.</param>
    /// <param name="randomnessThreshold">In [0, 1], as ML.NET documents it; the higher, the stricter. The default is 0.95.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="randomnessThreshold"/> is NaN or outside [0, 1].</exception>
    public static int Detect(ReadOnlySpan<double> series, int seasonalityWindowSize = -1, double randomnessThreshold = 0.95)
    {
        if (!(randomnessThreshold >= 0 && randomnessThreshold <= 1))
        {
            // Outside [0, 1] the white-noise band is NaN and every series came back as "no season" (-1), e.g. for 95
            // meant as a percentage.
            throw new ArgumentOutOfRangeException(nameof(randomnessThreshold), randomnessThreshold, "The randomness threshold should be in [0, 1].");
        }

        int take = seasonalityWindowSize > 0 ? Math.Min(seasonalityWindowSize, series.Length) : series.Length;
        var values = new List<double>(take);
        foreach (double v in series[..take])
        {
            if (double.IsFinite(v))
            {
                values.Add(v);
            }
        }

        int n = values.Count;
        if (n < 8)
        {
            return -1;
        }

        double mean = values.Average();
        int padded = 2 * n;
        var spectrum = new Complex[padded];
        for (int i = 0; i < n; i++)
        {
            spectrum[i] = values[i] - mean;
        }

        Fourier.Forward(spectrum, FourierOptions.Matlab);
        int peak = -1;
        double peakPower = 0;

        // Bins 2…n/2 of the unpadded spectrum ↔ periods 2…n/2; in the 2n-padded spectrum those are bins 4…n.
        for (int k = 4; k <= n; k++)
        {
            double power = spectrum[k].Magnitude * spectrum[k].Magnitude;
            if (power > peakPower)
            {
                peakPower = power;
                peak = k;
            }
        }

        for (int k = 0; k < padded; k++)
        {
            spectrum[k] = spectrum[k].Magnitude * spectrum[k].Magnitude;
        }

        Fourier.Inverse(spectrum, FourierOptions.Matlab);
        double acf0 = spectrum[0].Real;
        if (peak < 0 || acf0 <= 0)
        {
            return -1;
        }

        int lo = Math.Max(2, (int)Math.Floor((double)padded / (peak + 1)));
        int hi = Math.Min(n / 2, (int)Math.Ceiling((double)padded / (peak - 1)));
        int best = -1;
        double bestAcf = double.NegativeInfinity;
        for (int p = lo; p <= hi; p++)
        {
            double acf = spectrum[p].Real / acf0;
            if (acf > bestAcf)
            {
                bestAcf = acf;
                best = p;
            }
        }

        double band = NormalQuantile.Probit(randomnessThreshold) / Math.Sqrt(n);
        return best > 0 && bestAcf > band ? best : -1;
    }
}
