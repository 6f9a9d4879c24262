namespace MetricsPipeline.Forecasting;

/// <summary>Means and variances of the observation noise and of the recurrence (AR) noise on the signal.</summary>
/// <param name="ObservationMean">Mean of x − ŝ.</param>
/// <param name="ObservationVariance">Population variance of x − ŝ.</param>
/// <param name="AutoregressiveMean">Mean of the one-step recurrence residual on ŝ.</param>
/// <param name="AutoregressiveVariance">Variance of that residual, divided by n − 2L + 2 as ML.NET does.</param>
public readonly record struct NoiseMoments(double ObservationMean, double ObservationVariance, double AutoregressiveMean, double AutoregressiveVariance)
{
    /// <summary>Computes the moments from the training data and the signal aligned to its end.</summary>
    internal static NoiseMoments Compute(ReadOnlySpan<double> x, ReadOnlySpan<double> signal, ReadOnlySpan<double> alpha, int l, Float32 f)
    {
        int n = signal.Length;
        int offset = x.Length - n;
        double sum = 0;
        double sumSq = 0;
        for (int i = 0; i < n; i++)
        {
            double e = x[offset + i] - signal[i];
            sum += e;
            sumSq += e * e;
        }

        double obsMean = sum / n;
        double obsVar = (sumSq / n) - (obsMean * obsMean);
        int m = l - 1;
        int count = n - l + 1;
        var rho = new double[count];
        double rhoSum = 0;
        for (int c = 0; c < count; c++)
        {
            rho[c] = signal[c + m] - VectorOps.Dot(alpha, signal.Slice(c, m));
            rhoSum += rho[c];
        }

        double arMean = rhoSum / count;
        double dev = 0;
        foreach (double r in rho)
        {
            dev += (r - arMean) * (r - arMean);
        }

        // ML.NET divides by k − L + 1 with k = n − L + 1; guard the degenerate Fast tail length.
        int divisor = Math.Max(1, n - (2 * l) + 2);
        return new NoiseMoments(f.R(obsMean), f.R(Math.Max(0, obsVar)), f.R(arMean), f.R(dev / divisor));
    }
}
