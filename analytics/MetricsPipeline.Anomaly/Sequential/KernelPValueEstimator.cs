using MetricsPipeline.Anomaly.Numerics;

namespace MetricsPipeline.Anomaly.Sequential;

/// <summary>
/// ML.NET's sliding-window Gaussian-KDE p-value (<c>ComputeKernelPValue</c>): the upper-tail probability of a raw score
/// under a kernel density of the last <c>historyLength</c> raw scores, with the buffer's population standard deviation as
/// bandwidth. Scores are kept as float32 as in ML.NET. O(historyLength) per point, no allocation. Not thread-safe.
/// </summary>
public sealed class KernelPValueEstimator
{
    private readonly Ring<float> _buffer;
    private double _sumSquaredDistances;

    /// <summary>Creates an estimator over the last <paramref name="historyLength"/> raw scores.</summary>
    public KernelPValueEstimator(int historyLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(historyLength, 2);
        _buffer = new Ring<float>(historyLength);
    }

    /// <summary>Whether the history holds <c>historyLength</c> scores (ML.NET alerts only from then on).</summary>
    public bool IsFull => _buffer.IsFull;

    /// <summary>The number of scores in the history.</summary>
    public int Count => _buffer.Count;

    /// <summary>Returns the unsided upper-tail p-value of <paramref name="rawScore"/> and then adds it to the history.</summary>
    public double Update(double rawScore)
    {
        var s = (float)rawScore;
        var n = _buffer.Count;
        double p;
        if (n == 0)
        {
            p = 0.5;
        }
        else
        {
            // Cancellation in the sliding sum can leave it slightly negative; ML.NET would then get a NaN bandwidth.
            var h = Math.Sqrt(2) * (n == 1 ? 1.0 : Math.Sqrt(Math.Max(_sumSquaredDistances, 0)) / n);
            h = Math.Max(h, 1e-6);
            double erfSum = 0;
            double squares = 0;
            for (var i = 0; i < n; i++)
            {
                var d = (double)(s - _buffer[i]);
                erfSum += AbramowitzStegun.Erf(d / h);
                squares += d * d;
            }

            p = 0.5 - (erfSum / (2.0 * n));
            _sumSquaredDistances += squares;
            if (_buffer.IsFull)
            {
                var oldest = _buffer[0];
                double removed = 0;
                for (var i = 1; i < n; i++)
                {
                    var d = (double)(oldest - _buffer[i]);
                    removed += d * d;
                }

                var e = (double)(oldest - s);
                removed += e * e;
                _sumSquaredDistances -= removed;
            }
        }

        _buffer.Add(s);
        return p;
    }

    /// <summary>Applies the side and ML.NET's clamp to [1e-8, 1 − 1e-8].</summary>
    public static double ApplySide(double p, AnomalySide side)
    {
        var sided = side switch
        {
            AnomalySide.Positive => p,
            AnomalySide.Negative => 1 - p,
            _ => Math.Min(p, 1 - p),
        };
        return Math.Clamp(sided, 1e-8, 1 - 1e-8);
    }

    /// <summary>Empties the history.</summary>
    public void Reset()
    {
        _buffer.Clear();
        _sumSquaredDistances = 0;
    }

    /// <summary>Writes the history and the running sum.</summary>
    public void Save(BinaryWriter writer)
    {
        _buffer.Save(writer);
        writer.Write(_sumSquaredDistances);
    }

    /// <summary>Restores a state written by <see cref="Save"/>.</summary>
    public void Restore(BinaryReader reader)
    {
        _buffer.Restore(reader);
        _sumSquaredDistances = reader.ReadDouble();
    }
}
