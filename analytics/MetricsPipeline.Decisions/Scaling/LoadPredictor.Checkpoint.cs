namespace MetricsPipeline.Decisions.Scaling;

/// <content>
/// Snapshot and restore of the candidate: level and trend, the seasonal ring of levels, the recent lead forecasts and
/// their sum (kept exactly, so the mean does not drift), the pending forecasts, the loss and both calibrators. Rings
/// are written only as far as they were filled (they fill from index 0). Version 3 adds the loss window (a flag and its
/// bucket sums) at the end; a version 2 snapshot, or one saved without a window, seeds the window with the stored loss as many
/// times as lead errors were scored (up to the window), and one saved with a window into a predictor without one takes
/// the window's mean as its exponential mean.
/// </content>
internal sealed partial class LoadPredictor
{
    public void Save(BinaryWriter w)
    {
        w.Write(Level);
        w.Write(Trend);
        w.Write(LeadLoss);
        w.Write(LastLead);
        w.Write(LastHold);
        w.Write(_levels.Length);
        w.Write(_observed);
        var levels = (int)Math.Min(_observed, _levels.Length);
        for (var i = 0; i < levels; i++)
        {
            w.Write(_levels[i]);
        }

        w.Write(_recent.Length);
        w.Write(_count);
        w.Write(_next);
        w.Write(_sum);
        for (var i = 0; i < _count; i++)
        {
            w.Write(_recent[i]);
        }

        w.Write(Pending.Count);
        foreach (var (lead, hold) in Pending)
        {
            w.Write(lead);
            w.Write(hold);
        }

        LeadErrors.Save(w);
        HoldErrors.Save(w);
        w.Write(_losses is not null);
        _losses?.Save(w);
    }

    public void Restore(BinaryReader r, int version)
    {
        Level = r.ReadDouble();
        Trend = r.ReadDouble();
        LeadLoss = r.ReadDouble();
        LastLead = r.ReadDouble();
        LastHold = r.ReadDouble();
        var levelsLength = r.ReadInt32();
        var observed = r.ReadInt64();
        if (levelsLength != _levels.Length || observed < 0)
        {
            // Another seasonal period: the ring does not fit.
            throw new FormatException($"Predictor state with {levelsLength} seasonal levels does not fit {_levels.Length}.");
        }

        _observed = observed;
        var levels = (int)Math.Min(observed, _levels.Length);
        for (var i = 0; i < levels; i++)
        {
            _levels[i] = r.ReadDouble();
        }

        var recentLength = r.ReadInt32();
        var count = r.ReadInt32();
        var next = r.ReadInt32();
        if (recentLength != _recent.Length || count < 0 || count > recentLength || next < 0 || next >= recentLength)
        {
            throw new FormatException($"Predictor state with {recentLength} recent forecasts does not fit {_recent.Length}.");
        }

        _count = count;
        _next = next;
        _sum = r.ReadDouble();
        for (var i = 0; i < count; i++)
        {
            _recent[i] = r.ReadDouble();
        }

        var pending = r.ReadInt32();
        if (pending < 0)
        {
            throw new FormatException("Negative pending count.");
        }

        Pending.Clear();
        for (var i = 0; i < pending; i++)
        {
            Pending.Enqueue((r.ReadDouble(), r.ReadDouble()));
        }

        LeadErrors.Restore(r);
        HoldErrors.Restore(r);
        if (version >= 3 && r.ReadBoolean())
        {
            if (_losses is not null)
            {
                _losses.Restore(r);
                return;
            }

            // A window this predictor does not keep: read past it; LeadLoss (its mean) seeds the exponential mean.
            WindowMean.Skip(r);
            return;
        }

        _losses?.Seed(LeadLoss, LeadErrors.Count);
    }
}
