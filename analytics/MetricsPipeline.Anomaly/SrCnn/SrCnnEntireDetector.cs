using System.Numerics;
using MathNet.Numerics.IntegralTransforms;

namespace MetricsPipeline.Anomaly.SrCnn;

/// <summary>
/// SR-CNN over an entire series (ML.NET's <c>DetectEntireAnomalyBySrCnn</c>): the series is cut into batches, optionally
/// deseasonalised with a known period, and every point of a batch is scored by the spectral residual of the batch.
/// Expected values come from a low-pass FFT of the batch with its anomalies interpolated away; margins are a robust
/// residual scale times a factor that shrinks as sensitivity grows. This is a batch (whole-series) detector by design.
/// </summary>
public static class SrCnnEntireDetector
{
    private const int BackAdd = 5;
    private const int Lookahead = 5;
    private const int Averaging = 3;
    private const int Judgement = 21;

    /// <summary>Scores every point of <paramref name="values"/>; returns one output per input.</summary>
    public static AnomalyOutput[] Detect(ReadOnlySpan<double> values, SrCnnEntireOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var n = values.Length;
        if (n < 12)
        {
            throw new ArgumentException("SR-CNN entire needs at least 12 points.", nameof(values));
        }

        var output = new AnomalyOutput[n];
        var batch = options.BatchSize == -1 ? n : options.BatchSize;
        var start = 0;
        while (start < n)
        {
            var length = Math.Min(batch, n - start);
            if (n - (start + length) < 12)
            {
                // A short tail batch is merged into this one: the spectral residual needs some length.
                length = n - start;
            }

            DetectBatch(values.Slice(start, length), options, output.AsSpan(start, length));
            start += length;
        }

        return output;
    }

    /// <summary>The margin in boundary units for a sensitivity in [0, 100]: 1 at 100, growing linearly to 11 at 0.</summary>
    public static double MarginFactor(double sensitivity) => 1 + (0.1 * (100 - sensitivity));

    private static void DetectBatch(ReadOnlySpan<double> values, SrCnnEntireOptions options, Span<AnomalyOutput> output)
    {
        var n = values.Length;
        var seasonal = new double[n];
        if (options.Period > 0)
        {
            Deseasonalizer.Seasonal(values, options.Period, options.Deseasonality, seasonal);
        }

        var residual = new double[n];
        for (var i = 0; i < n; i++)
        {
            residual[i] = values[i] - seasonal[i];
        }

        var transform = new SpectralResidual(n, BackAdd, Lookahead, Averaging);
        var saliency = new double[n];
        transform.Transform(residual, 0, saliency);
        var average = new double[n];
        SpectralResidual.AverageFilter(saliency, average, Judgement);
        var scores = new double[n];
        var anomalous = new bool[n];
        for (var i = 0; i < n; i++)
        {
            scores[i] = SpectralResidual.Score(saliency[i], average[i]);
            anomalous[i] = scores[i] > options.Threshold;
        }

        var expected = new double[n];
        if (options.DetectMode != SrCnnDetectMode.AnomalyOnly)
        {
            ExpectedValues(residual, anomalous, expected);
            for (var i = 0; i < n; i++)
            {
                expected[i] += seasonal[i];
            }
        }

        var unit = options.DetectMode == SrCnnDetectMode.AnomalyAndMargin ? BoundaryUnit(values, expected) : double.NaN;
        var margin = unit * MarginFactor(options.Sensitivity);
        for (var i = 0; i < n; i++)
        {
            var alert = anomalous[i];
            double exp = double.NaN, upper = double.NaN, lower = double.NaN;
            if (options.DetectMode != SrCnnDetectMode.AnomalyOnly)
            {
                exp = expected[i];
            }

            if (options.DetectMode == SrCnnDetectMode.AnomalyAndMargin)
            {
                upper = expected[i] + margin;
                lower = expected[i] - margin;
                alert = alert && (values[i] > upper || values[i] < lower);
            }

            output[i] = new AnomalyOutput(alert, scores[i], double.NaN, double.NaN, saliency[i], exp, upper, lower, scores[i]);
        }
    }

    private static void ExpectedValues(double[] residual, bool[] anomalous, double[] expected)
    {
        var n = residual.Length;
        var clean = (double[])residual.Clone();
        var previous = -1;
        for (var i = 0; i <= n; i++)
        {
            if (i < n && anomalous[i])
            {
                continue;
            }

            // Interpolate linearly across the run of anomalies (previous, i).
            for (var j = previous + 1; j < i; j++)
            {
                var left = previous >= 0 ? residual[previous] : (i < n ? residual[i] : 0);
                var right = i < n ? residual[i] : left;
                var t = (double)(j - previous) / (i - previous);
                clean[j] = left + ((right - left) * t);
            }

            previous = i;
        }

        var spectrum = new Complex[n];
        for (var i = 0; i < n; i++)
        {
            spectrum[i] = new Complex(clean[i], 0);
        }

        Fourier.Forward(spectrum, FourierOptions.Matlab);

        // Keep the lowest sixteenth of the frequencies (and their mirror images) as the expected shape.
        var keep = Math.Max(1, n / 16);
        for (var k = keep + 1; k < n - keep; k++)
        {
            spectrum[k] = Complex.Zero;
        }

        Fourier.Inverse(spectrum, FourierOptions.Matlab);
        for (var i = 0; i < n; i++)
        {
            expected[i] = spectrum[i].Real;
        }
    }

    private static double BoundaryUnit(ReadOnlySpan<double> values, double[] expected)
    {
        var deviations = new List<double>(values.Length);
        double level = 0;
        for (var i = 0; i < values.Length; i++)
        {
            deviations.Add(Math.Abs(values[i] - expected[i]));
            level += Math.Abs(expected[i]);
        }

        var mad = Deseasonalizer.Median(deviations) * 1.4826;
        return Math.Max(mad, Math.Max(1e-3 * level / values.Length, 1e-8));
    }
}
