using MetricsPipeline.Decisions.State;

namespace MetricsPipeline.Decisions.Scaling;

/// <content>
/// Snapshot and restore of the per-service state: every candidate's level, seasonal levels, pending forecasts,
/// calibrated errors and loss, the load history, the stabilisation window, the scale-in floor's peak and cost gate,
/// and the last actions. The forecaster itself
/// is not saved: a restored service gets a new one from the factory (the stream's forecaster reads the forecast stage's
/// latest forecast and holds nothing of its own). A snapshot is read only by a policy with the same calibration window
/// and seasonal period (the rings must fit); another configuration is a <see cref="FormatException"/>. The error budget
/// (its loosening and trailing windows) is saved too (version 2); a version 1 snapshot restores with a fresh budget. The
/// candidates' loss windows (<see cref="PredictiveScalingOptions.LeadLossWindow"/>) are saved too (version 3); an older
/// snapshot fills each window with the candidate's stored loss.
/// </content>
public sealed partial class PredictiveScalingPolicy
{
    // Version 2 adds the error budget after the scale-in floor; version 1 snapshots are still read (with a fresh budget).
    // Version 3 adds each candidate's loss window; version 1 and 2 snapshots seed it from the stored loss.
    private const byte StateVersion = 3;

    /// <summary>The whole per-service state as a versioned binary snapshot. Not thread-safe.</summary>
    public byte[] SaveState() => SaveState(_ => true);

    /// <summary>
    /// The state of the services <paramref name="include"/> accepts, in the <see cref="SaveState()"/> format. Its size
    /// grows with the calibration window and the seasonal period (up to about 8 bytes × 4 × the evaluations of the
    /// longer one, per candidate). Not thread-safe.
    /// </summary>
    public byte[] SaveState(Func<string, bool> include) => StateIO.WriteServices(StateVersion, _states, include, static (w, st) =>
    {
        w.Write(st.Predictors.Count);
        foreach (var predictor in st.Predictors)
        {
            predictor.Save(w);
        }

        w.Write(st.Loads.Count);
        foreach (var (time, load) in st.Loads)
        {
            StateIO.Write(w, time);
            w.Write(load);
        }

        w.Write(st.Times.Count);
        foreach (var time in st.Times)
        {
            StateIO.Write(w, time);
        }

        StateIO.Write(w, st.LastAction);
        w.Write(st.LastAdvised);
        StateIO.Write(w, st.LastScaleIn);
        st.Recommendations.Save(w);
        st.Peak.Save(w);
        st.FloorExcess.Save(w);
        st.Budget.Save(w);
    });

    /// <summary>Replaces the state with a <see cref="SaveState()"/> snapshot; <see cref="FormatException"/> on bad data (state unchanged).</summary>
    public void RestoreState(ReadOnlySpan<byte> state) => StateIO.Replace(_states, Read(state));

    /// <summary>
    /// Replaces the state of the services in <paramref name="state"/> that <paramref name="accept"/> accepts and keeps
    /// every other service's; returns the services replaced. <see cref="FormatException"/> on bad data (state unchanged).
    /// </summary>
    public IReadOnlyList<string> MergeState(ReadOnlySpan<byte> state, Func<string, bool> accept)
    {
        ArgumentNullException.ThrowIfNull(accept);
        return StateIO.Merge(_states, Read(state), accept);
    }

    /// <summary>Forgets the state of <paramref name="service"/>.</summary>
    public void Forget(string service) => _states.Remove(service);

    private State NewState(string service)
    {
        // Evaluate's construction for a new service too, so a restored state has the same rings.
        int samples = (int)Math.Clamp(_o.CalibrationWindow / _o.EvaluationInterval, 1, 1_000_000);
        int period = (int)Math.Round(_o.SeasonalPeriod / _o.EvaluationInterval);
        int budget = (int)Math.Clamp(_o.ErrorBudgetWindow / _o.EvaluationInterval, 1, 1_000_000);
        int losses = _o.LeadLossWindow > TimeSpan.Zero ? (int)Math.Clamp(_o.LeadLossWindow / _o.EvaluationInterval, 1, 1_000_000) : 0;
        return new State(_forecasterFactory(service), _o.StabilizationWindow, samples, period, _o.ScaleInFloorWindow, budget, losses, _o.LeadLossSegments);
    }

    private Dictionary<string, State> Read(ReadOnlySpan<byte> state) =>
        StateIO.ReadServices(state, 1, StateVersion, (r, service, version) =>
        {
            var st = NewState(service);
            var predictors = r.ReadInt32();
            if (predictors != st.Predictors.Count)
            {
                throw new FormatException($"The state of {service} has {predictors} candidate forecasts; this configuration has {st.Predictors.Count}.");
            }

            foreach (var predictor in st.Predictors)
            {
                predictor.Restore(r, version);
            }

            var loads = ReadCount(r);
            for (var j = 0; j < loads; j++)
            {
                st.Loads.Enqueue((StateIO.ReadInstant(r), r.ReadDouble()));
            }

            var times = ReadCount(r);
            for (var j = 0; j < times; j++)
            {
                st.Times.Enqueue(StateIO.ReadInstant(r));
            }

            st.LastAction = StateIO.ReadOptionalInstant(r);
            st.LastAdvised = r.ReadInt32();
            st.LastScaleIn = StateIO.ReadOptionalInstant(r);
            st.Recommendations.Restore(r);
            st.Peak.Restore(r);
            st.FloorExcess.Restore(r);
            if (version >= 2)
            {
                st.Budget.Restore(r);
            }

            return st;
        });

    private static int ReadCount(BinaryReader r)
    {
        var count = r.ReadInt32();
        return count >= 0 ? count : throw new FormatException("Negative item count.");
    }
}
