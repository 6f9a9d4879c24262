namespace MetricsPipeline.Forecasting;

/// <summary>
/// Saves and restores an <see cref="SsaForecaster"/> (options, basis, α, state, noise, recent values). A restored model
/// continues bit for bit. The format is little-endian binary: magic "SSAF", a version number, then the fields. Version 2
/// appends the forecast combination (naive weight, season, per-step weights, ring) and the online bound calibrator's state; version 1
/// files load as models without either. Version 3 appends the median-naive length (the ring then holds that many values);
/// version 2 files load with it off. Version 4 appends the naive level share; version 3 files load with it 0. Version 5
/// appends the log transform's offset (<see cref="SsaForecasterOptions.LogOffset"/>: a flag, then the offset); version 4
/// files load without the transform. Version 6 appends the autoregressive naive forecast
/// (<see cref="SsaForecasterOptions.NaiveAutoregressive"/>: a flag, then its coefficients) and the autoregressive overlay
/// (<see cref="SsaForecasterOptions.AutoregressiveOverlayWeights"/>: the weights' count or −1, the weights, its season,
/// coefficients, ring, count and head); version 5 files load without either.
/// </summary>
public static class SsaCheckpoint
{
    /// <summary>The format version written by <see cref="Save"/>.</summary>
    public const int CurrentVersion = 6;

    /// <summary>Version 1 (before the forecast combination and the online bound calibrator) is still read.</summary>
    private const int FirstVersion = 1;

    private const int Magic = 0x46415353; // "SSAF"

    /// <summary>Writes <paramref name="model"/> to <paramref name="stream"/> (the stream is left open).</summary>
    public static void Save(SsaForecaster model, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(stream);
        using var w = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        w.Write(Magic);
        w.Write(CurrentVersion);
        var o = model.Options;
        w.Write(o.WindowSize);
        w.Write(o.SeriesLength);
        w.Write(o.TrainSize);
        w.Write(o.Horizon);
        w.Write(o.ConfidenceLevel);
        w.Write((int)o.RankSelectionMethod);
        w.Write(o.Rank ?? -1);
        w.Write(o.MaxRank ?? -1);
        w.Write(o.ShouldStabilize);
        w.Write(o.MaxGrowth is not null);
        w.Write(o.MaxGrowth?.TimeSpan ?? 0);
        w.Write(o.MaxGrowth?.Growth ?? 0);
        w.Write(o.VariableHorizon);
        w.Write(o.IsAdaptive);
        w.Write(o.ComputeConfidenceBounds);
        w.Write(o.IncludeNoiseMeans);
        w.Write((int)o.Compatibility);
        w.Write(o.BoundScale);
        w.Write(o.MlNetIgnoresMaxRank);
        var s = model.ModelState;
        w.Write(s.WindowSize);
        w.Write(s.Rank);
        w.Write(s.IsTrained);
        WriteArray(w, s.Basis);
        WriteArray(w, s.Alpha);
        WriteArray(w, s.State);
        w.Write(s.NextPrediction);
        w.Write(s.Noise.ObservationMean);
        w.Write(s.Noise.ObservationVariance);
        w.Write(s.Noise.AutoregressiveMean);
        w.Write(s.Noise.AutoregressiveVariance);
        WriteArray(w, s.Recent);
        w.Write(s.RecentCount);
        w.Write(s.RecentHead);
        w.Write(s.Consumed);
        w.Write(o.NaiveWeight);
        w.Write(o.NaiveSeason);
        w.Write(o.RecalibrationWindow);
        WriteWeights(w, o.NaiveStepWeights);

        WriteArray(w, s.Seasonal);
        w.Write(s.SeasonalCount);
        w.Write(s.SeasonalHead);
        w.Write(s.RecordedAt);
        w.Write(s.Calibrator is not null);
        s.Calibrator?.Write(w);
        w.Write(o.NaiveMedianLength);
        w.Write(o.NaiveLevelShare);
        w.Write(o.LogOffset is not null);
        w.Write(o.LogOffset ?? 0);
        w.Write(o.NaiveAutoregressive);
        WriteArray(w, s.Autoregression);
        WriteWeights(w, o.AutoregressiveOverlayWeights);

        w.Write(o.AutoregressiveOverlaySeason);
        WriteArray(w, s.Overlay);
        WriteArray(w, s.OverlayRing);
        w.Write(s.OverlayCount);
        w.Write(s.OverlayHead);
    }

    /// <summary>Reads a model written by <see cref="Save"/>.</summary>
    /// <exception cref="InvalidDataException">The stream is not an SSA checkpoint, has an unknown version, or is corrupt.</exception>
    public static SsaForecaster Load(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var r = new BinaryReader(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        try
        {
            if (r.ReadInt32() != Magic)
            {
                throw new InvalidDataException("Not an SSA forecaster checkpoint (bad magic number).");
            }

            int version = r.ReadInt32();
            if (version < FirstVersion || version > CurrentVersion)
            {
                throw new InvalidDataException($"Unknown SSA checkpoint version {version}; this build reads versions {FirstVersion} to {CurrentVersion}.");
            }

            var o = new SsaForecasterOptions
            {
                WindowSize = r.ReadInt32(),
                SeriesLength = r.ReadInt32(),
                TrainSize = r.ReadInt32(),
                Horizon = r.ReadInt32(),
                ConfidenceLevel = r.ReadSingle(),
                RankSelectionMethod = (RankSelectionMethod)r.ReadInt32(),
            };
            int rank = r.ReadInt32();
            int maxRank = r.ReadInt32();
            o.Rank = rank < 0 ? null : rank;
            o.MaxRank = maxRank < 0 ? null : maxRank;
            o.ShouldStabilize = r.ReadBoolean();
            bool hasGrowth = r.ReadBoolean();
            int span = r.ReadInt32();
            double growth = r.ReadDouble();
            o.MaxGrowth = hasGrowth ? new GrowthRatio(span, growth) : null;
            o.VariableHorizon = r.ReadBoolean();
            o.IsAdaptive = r.ReadBoolean();
            o.ComputeConfidenceBounds = r.ReadBoolean();
            o.IncludeNoiseMeans = r.ReadBoolean();
            o.Compatibility = (SsaCompatibility)r.ReadInt32();
            o.BoundScale = r.ReadDouble();
            o.MlNetIgnoresMaxRank = r.ReadBoolean();
            o.Validate();
            var s = new SsaModelState
            {
                WindowSize = r.ReadInt32(),
                Rank = r.ReadInt32(),
                IsTrained = r.ReadBoolean(),
                Basis = ReadArray(r),
                Alpha = ReadArray(r),
                State = ReadArray(r),
                NextPrediction = r.ReadDouble(),
                Noise = new NoiseMoments(r.ReadDouble(), r.ReadDouble(), r.ReadDouble(), r.ReadDouble()),
                Recent = ReadArray(r),
                RecentCount = r.ReadInt32(),
                RecentHead = r.ReadInt32(),
                Consumed = r.ReadInt64(),
            };
            if (version >= 2)
            {
                o.NaiveWeight = r.ReadDouble();
                o.NaiveSeason = r.ReadInt32();
                o.RecalibrationWindow = r.ReadInt32();
                o.NaiveStepWeights = ReadWeights(r, "naive step weights");

                o.Validate();
                s.Seasonal = ReadArray(r);
                s.SeasonalCount = r.ReadInt32();
                s.SeasonalHead = r.ReadInt32();
                s.RecordedAt = r.ReadInt64();
                s.Calibrator = r.ReadBoolean() ? OnlineBoundCalibrator.Read(r) : null;
                if (version >= 3)
                {
                    o.NaiveMedianLength = r.ReadInt32();
                    if (version >= 4)
                    {
                        o.NaiveLevelShare = r.ReadDouble();
                    }

                    if (version >= 5)
                    {
                        bool log = r.ReadBoolean();
                        double offset = r.ReadDouble();
                        o.LogOffset = log ? offset : null;
                    }

                    if (version >= 6)
                    {
                        o.NaiveAutoregressive = r.ReadBoolean();
                        s.Autoregression = ReadArray(r);
                        o.AutoregressiveOverlayWeights = ReadWeights(r, "overlay weights");

                        o.AutoregressiveOverlaySeason = r.ReadInt32();
                        s.Overlay = ReadArray(r);
                        s.OverlayRing = ReadArray(r);
                        s.OverlayCount = r.ReadInt32();
                        s.OverlayHead = r.ReadInt32();
                    }

                    o.Validate();
                }

                bool ring = s.Seasonal.Length == 0 ? s.SeasonalCount == 0 && s.SeasonalHead == 0
                    : s.SeasonalCount >= 0 && s.SeasonalCount <= s.Seasonal.Length && s.SeasonalHead >= 0 && s.SeasonalHead < s.Seasonal.Length;
                // A median naive needs its ring of exactly k values, or the forecast would take the median of another window.
                ring &= o.NaiveMedianLength == 0 || s.Seasonal.Length == 0 || s.Seasonal.Length == o.NaiveMedianLength;
                // An autoregression needs one coefficient per lag plus the intercept, and a ring as long as its largest lag.
                ring &= s.Autoregression.Length == 0
                    || (o.NaiveAutoregressive && s.Autoregression.Length == o.AutoregressiveLags.Length + 1 && s.Seasonal.Length == o.AutoregressiveLags[^1]);
                // The overlay likewise, with a ring of its own.
                ring &= s.Overlay.Length == 0
                    ? s.OverlayRing.Length == 0 && s.OverlayCount == 0 && s.OverlayHead == 0
                    : o.AutoregressiveOverlayWeights is not null && s.Overlay.Length == o.AutoregressiveOverlayLags.Length + 1
                        && s.OverlayRing.Length == o.AutoregressiveOverlayLags[^1] && s.OverlayCount >= 0 && s.OverlayCount <= s.OverlayRing.Length
                        && s.OverlayHead >= 0 && s.OverlayHead < s.OverlayRing.Length;
                if (!ring || (s.Calibrator is not null && s.Calibrator.Horizon != o.Horizon))
                {
                    throw new InvalidDataException("Corrupt SSA checkpoint: inconsistent combination or calibrator state.");
                }
            }

            int l = s.WindowSize;
            bool consistent = l >= 2 && s.Rank >= 0 && s.Rank <= l && s.Basis.Length == s.Rank * l
                && s.Alpha.Length == l - 1 && s.State.Length == l - 1 && s.Recent.Length == l - 1
                && s.RecentCount >= 0 && s.RecentCount <= l - 1 && s.RecentHead >= 0 && s.RecentHead < Math.Max(1, l - 1);
            if (!consistent)
            {
                throw new InvalidDataException("Corrupt SSA checkpoint: inconsistent array sizes.");
            }

            return new SsaForecaster(o, s);
        }
        catch (Exception ex) when (ex is EndOfStreamException or ArgumentException)
        {
            throw new InvalidDataException("Corrupt or truncated SSA checkpoint: " + ex.Message, ex);
        }
    }

    /// <summary>A list of weights: its count (−1 for null), then the values.</summary>
    private static void WriteWeights(BinaryWriter w, IReadOnlyList<double>? weights)
    {
        w.Write(weights?.Count ?? -1);
        foreach (double weight in weights ?? [])
        {
            w.Write(weight);
        }
    }

    private static double[]? ReadWeights(BinaryReader r, string what)
    {
        int count = r.ReadInt32();
        if (count < -1 || count > 1 << 16)
        {
            throw new InvalidDataException($"Corrupt SSA checkpoint: {count} {what}.");
        }

        if (count < 0)
        {
            return null;
        }

        var values = new double[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = r.ReadDouble();
        }

        return values;
    }

    private static void WriteArray(BinaryWriter w, double[] values)
    {
        w.Write(values.Length);
        foreach (double v in values)
        {
            w.Write(v);
        }
    }

    private static double[] ReadArray(BinaryReader r)
    {
        int length = r.ReadInt32();
        long remaining = r.BaseStream.CanSeek ? r.BaseStream.Length - r.BaseStream.Position : long.MaxValue;
        if (length < 0 || length > 1 << 24 || (long)length * sizeof(double) > remaining)
        {
            throw new InvalidDataException($"Corrupt SSA checkpoint: array length {length}.");
        }

        var values = new double[length];
        for (int i = 0; i < length; i++)
        {
            values[i] = r.ReadDouble();
        }

        return values;
    }
}
