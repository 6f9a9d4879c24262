using MetricsPipeline.Anomaly.Numerics;

namespace MetricsPipeline.Anomaly.Sequential;

/// <summary>
/// ML.NET's change-point martingale: the product of the last W betting factors b(p), kept in log space, with the first
/// factor repeated W times to fill the window. Not thread-safe.
/// </summary>
public sealed class SlidingMartingale
{
    private readonly Ring<double> _logBets;
    private readonly MartingaleType _type;
    private readonly double _epsilon;
    private double _logMartingale;

    /// <summary>Creates a martingale over <paramref name="historyLength"/> bets.</summary>
    /// <param name="historyLength">W, ML.NET's <c>changeHistoryLength</c>.</param>
    /// <param name="type">The betting function.</param>
    /// <param name="epsilon">ε of the power martingale, in (0, 1). ML.NET's default is 0.1.</param>
    public SlidingMartingale(int historyLength, MartingaleType type, double epsilon)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(historyLength, 2);
        if (type == MartingaleType.Power && (epsilon <= 0 || epsilon >= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "The power martingale epsilon must be in (0, 1).");
        }

        _logBets = new Ring<double>(historyLength);
        _type = type;
        _epsilon = epsilon;
    }

    /// <summary>The alert threshold exp(W · log b(1 − confidence/100)), or <see cref="double.MaxValue"/> without a martingale.</summary>
    public double Threshold(double confidencePercent)
    {
        if (_type == MartingaleType.None)
        {
            return double.MaxValue;
        }

        return Math.Exp(_logBets.Capacity * LogBet(1 - (confidencePercent / 100.0)));
    }

    /// <summary>Adds the bet on a (sided, clamped) p-value and returns the martingale value.</summary>
    public double Update(double p)
    {
        if (_type == MartingaleType.None)
        {
            return 0;
        }

        var logBet = LogBet(p);
        if (_logBets.Count == 0)
        {
            for (var i = 0; i < _logBets.Capacity; i++)
            {
                _logBets.Add(logBet);
            }

            _logMartingale = _logBets.Capacity * logBet;
        }
        else
        {
            var evicted = _logBets.Add(logBet);
            _logMartingale += logBet - evicted;
        }

        return Math.Exp(_logMartingale);
    }

    /// <summary>Forgets all bets.</summary>
    public void Reset()
    {
        _logBets.Clear();
        _logMartingale = 0;
    }

    /// <summary>Writes the bets and the running log-martingale.</summary>
    public void Save(BinaryWriter writer)
    {
        _logBets.Save(writer);
        writer.Write(_logMartingale);
    }

    /// <summary>Restores a state written by <see cref="Save"/>.</summary>
    public void Restore(BinaryReader reader)
    {
        _logBets.Restore(reader);
        _logMartingale = reader.ReadDouble();
    }

    private double LogBet(double p) => _type switch
    {
        MartingaleType.Power => Math.Log(_epsilon) + ((_epsilon - 1) * Math.Log(p)),
        MartingaleType.Mixture => Math.Log((p * Math.Log(p)) + 1 - p) - (2 * Math.Log(-Math.Log(p))) - Math.Log(p),
        _ => 0,
    };
}
