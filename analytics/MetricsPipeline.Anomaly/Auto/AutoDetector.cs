using MetricsPipeline.Anomaly.Numerics;

namespace MetricsPipeline.Anomaly.Auto;

/// <summary>
/// Our adaptive detector. Each point gets four surprise measures, each turned into a ratio where about 1 means "as
/// extreme as the history has been": (1) the first difference of the lightly smoothed series and (2) its difference from
/// one seasonal period ago (the period is re-estimated causally by autocorrelation), both against a high quantile of their
/// own past magnitudes; (3) how far the value leaves the range of its history; (4) the robust z-score of the value
/// (median and IQR, with a tail-implied minimum scale), counted only in the history's tails and discounted when the history
/// has already shown such deviations more than a few times (bursty series). The largest weighted ratio r becomes the
/// anomaly score r / (1 + r). A report (score ≥ <see cref="AutoDetectorOptions.AlertLevel"/>) starts a refractory period
/// in which scores are damped unless a clearly larger surprise arrives, so a level shift is reported once, not as a storm.
/// Online and causal, one pass, fixed-size state, no allocation per point. Not thread-safe.
/// </summary>
public sealed class AutoDetector : IAnomalyDetector
{
    private const string Kind = "auto";
    private readonly AutoDetectorOptions _options;
    private readonly Ring<double> _values;
    private readonly Ring<double> _smoothing;
    private readonly SortedWindow _valueHistory;
    private readonly SortedWindow _differenceHistory;
    private readonly SortedWindow _seasonalHistory;
    private readonly double[] _scratch;
    private readonly double _tailWidth;
    private long _count;
    private int _period;
    private int _refractory;
    private double _alertRatio;
    private double _previousSmoothed = double.NaN;

    /// <summary>Creates the detector.</summary>
    public AutoDetector(AutoDetectorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _values = new Ring<double>(3 * options.MaxPeriod);
        _smoothing = new Ring<double>(options.Smoothing);
        _valueHistory = new SortedWindow(options.HistoryLength);
        _differenceHistory = new SortedWindow(options.HistoryLength);
        _seasonalHistory = new SortedWindow(options.HistoryLength);
        _scratch = new double[3 * options.MaxPeriod];
        _tailWidth = 2 * MathNet.Numerics.Distributions.Normal.InvCDF(0, 1, 1 - options.ValueTail);
    }

    /// <summary>A copy of the parameters the detector runs with.</summary>
    public AutoDetectorOptions Options => _options.Clone();

    /// <summary>The seasonal period currently in use, in rows (0 when none was found).</summary>
    public int Period => _period;

    /// <inheritdoc />
    public AnomalyOutput Next(double value)
    {
        if (double.IsNaN(value) || double.IsInfinity(value))
        {
            return AnomalyOutput.Empty with { Score = double.NaN };
        }

        _count++;
        _smoothing.Add(value);
        double smoothed = 0;
        for (var i = 0; i < _smoothing.Count; i++)
        {
            smoothed += _smoothing[i];
        }

        smoothed /= _smoothing.Count;

        var ratio = 0.0;
        if (!double.IsNaN(_previousSmoothed))
        {
            var difference = Math.Abs(smoothed - _previousSmoothed);
            ratio = Math.Max(ratio, _options.DifferenceWeight * Ratio(difference, _differenceHistory));
            _differenceHistory.Add(difference);
        }

        if (_period > 0 && _values.Count >= _period)
        {
            var seasonal = Math.Abs(smoothed - _values[_values.Count - _period]);
            ratio = Math.Max(ratio, _options.SeasonalWeight * Ratio(seasonal, _seasonalHistory));
            _seasonalHistory.Add(seasonal);
        }

        if (_valueHistory.Count > 0)
        {
            var low = _valueHistory.Quantile(1 - _options.ReferenceQuantile);
            var high = _valueHistory.Quantile(_options.ReferenceQuantile);
            var spread = Math.Max(high - low, 1e-9 * Math.Max(1, Math.Abs(high)));
            var outside = Math.Max(0, Math.Max(value - high, low - value));
            ratio = Math.Max(ratio, _options.NoveltyWeight * outside / spread * 10);
            if (_valueHistory.Count >= 10)
            {
                var tailLow = _valueHistory.Quantile(_options.ValueTail);
                var tailHigh = _valueHistory.Quantile(1 - _options.ValueTail);
                if (value > tailHigh || value < tailLow)
                {
                    // The scale is the larger of the IQR's and the tails' implied standard deviation: a bursty series with
                    // a zero IQR still has a sensible scale.
                    var median = _valueHistory.Quantile(0.5);
                    var iqr = (_valueHistory.Quantile(0.75) - _valueHistory.Quantile(0.25)) / 1.349;
                    var scale = Math.Max(Math.Max(iqr, _options.TailScaleFactor * (tailHigh - tailLow) / _tailWidth), Math.Max(1e-3 * spread, 1e-9));
                    // A deviation that the history has already shown (even half as large) several times is not news.
                    var distance = Math.Abs(value - median);
                    var seen = value > median
                        ? _valueHistory.CountAtLeast(median + (_options.RecurrenceFraction * distance))
                        : _valueHistory.CountAtMost(median - (_options.RecurrenceFraction * distance));
                    ratio = Math.Max(ratio, _options.ValueWeight * distance / scale / (seen > _options.RecurrenceAllowance ? _options.RecurrenceDiscount : 1));
                }
            }
        }

        _valueHistory.Add(value);
        _values.Add(smoothed);
        _previousSmoothed = smoothed;
        UpdatePeriod();

        var score = ratio / (1 + ratio);
        if (_count <= _options.WarmUp)
        {
            score = 0;
        }

        if (_refractory > 0 && ratio < _alertRatio * _options.BypassFactor)
        {
            _refractory--;
            score *= _options.RefractoryDamping;
        }
        else if (score >= _options.AlertLevel)
        {
            _refractory = _options.RefractoryLength;
            _alertRatio = ratio;
        }
        else if (_refractory > 0)
        {
            _refractory--;
        }

        return new AnomalyOutput(score >= _options.AlertLevel, ratio, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, score);
    }

    /// <inheritdoc />
    public void Reset()
    {
        _values.Clear();
        _smoothing.Clear();
        _valueHistory.Clear();
        _differenceHistory.Clear();
        _seasonalHistory.Clear();
        _count = 0;
        _period = 0;
        _refractory = 0;
        _alertRatio = 0;
        _previousSmoothed = double.NaN;
    }

    /// <inheritdoc />
    public void SaveCheckpoint(BinaryWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        Checkpoint.WriteHeader(writer, Kind);
        _values.Save(writer);
        _smoothing.Save(writer);
        _valueHistory.Save(writer);
        _differenceHistory.Save(writer);
        _seasonalHistory.Save(writer);
        writer.Write(_count);
        writer.Write(_period);
        writer.Write(_refractory);
        writer.Write(_alertRatio);
        writer.Write(_previousSmoothed);
    }

    /// <inheritdoc />
    public void RestoreCheckpoint(BinaryReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        Checkpoint.ReadHeader(reader, Kind);
        _values.Restore(reader);
        _smoothing.Restore(reader);
        _valueHistory.Restore(reader);
        _differenceHistory.Restore(reader);
        _seasonalHistory.Restore(reader);
        _count = reader.ReadInt64();
        _period = reader.ReadInt32();
        _refractory = reader.ReadInt32();
        _alertRatio = reader.ReadDouble();
        _previousSmoothed = reader.ReadDouble();
    }

    private double Ratio(double magnitude, SortedWindow history)
    {
        if (history.Count < 10)
        {
            return 0;
        }

        var reference = history.Quantile(_options.ReferenceQuantile);
        var floor = 1e-9 * Math.Max(1, Math.Abs(_previousSmoothed));
        return magnitude <= floor ? 0 : magnitude / Math.Max(reference, floor);
    }

    private void UpdatePeriod()
    {
        // Estimate when the buffer has grown by each third, then rarely: the autocorrelation costs O(buffer × maxPeriod),
        // which this schedule amortises to a few hundred operations a row.
        var step = Math.Max(_options.MaxPeriod, 64);
        var due = _count <= 3 * step ? _count % step == 0 : _count % (6 * step) == 0;
        if (!due)
        {
            return;
        }

        var n = _values.Count;
        _values.CopyTo(_scratch);
        _period = PeriodFinder.Find(_scratch.AsSpan(0, n), _options.MaxPeriod, _options.MinSeasonalCorrelation);
    }
}
