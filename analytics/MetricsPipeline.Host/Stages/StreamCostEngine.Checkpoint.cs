namespace MetricsPipeline.Host.Stages;

/// <content>
/// Checkpointing per scope: a service's days (cost and usage), its first day and whether that was partial, the day's
/// CPU sums and instance count (and since version 3 its instance and CPU × instance sums), the month's forecast spend,
/// the last recommendation sent (since version 2) and the
/// budget alerts already sent (so a restart or a
/// takeover neither re-sends a crossing nor starts the month's spend at zero). The <c>total</c> scope sums every
/// service this instance sees: it is saved with the whole stage state (a restart) but is no service's key, so a
/// takeover does not move it and with several instances each writes the total of its own services.
/// </content>
internal sealed partial class StreamCostEngine
{
    // Version 2 adds the last recommendation sent (day and saving); version 1 restores without one. Version 3 adds the
    // day's instance and CPU × instance sums (the recommendation's mean fleet); from version 1–2 they are taken as the
    // last window's count all day so far, as the recommendation then read it.
    private const byte StateVersion = 3;

    /// <summary>The scopes with state.</summary>
    public IEnumerable<string> Scopes => _scopes.Keys.Concat(_sentAlerts.Keys).Distinct(StringComparer.Ordinal);

    /// <summary>The state of the scopes <paramref name="include"/> accepts, versioned binary.</summary>
    public byte[] SaveState(Func<string, bool> include) =>
        KeyedStageState.Write(StateVersion, Scopes.Where(include).Order(StringComparer.Ordinal).ToList(), (w, scope) =>
        {
            var has = _scopes.TryGetValue(scope, out var state);
            w.Write(has);
            if (has)
            {
                w.Write(state!.Day.DayNumber);
                w.Write(state.FirstDay.DayNumber);
                w.Write(state.FirstDayPartial);
                w.Write(state.CpuSum);
                w.Write(state.CpuCount);
                w.Write(state.Instances);
                w.Write(state.ForecastSpend.HasValue);
                w.Write(state.ForecastSpend?.PeriodStart.DayNumber ?? 0);
                w.Write(state.ForecastSpend?.Amount ?? 0);
                w.Write(state.Days.Count);
                foreach (var (day, (cost, usage)) in state.Days)
                {
                    w.Write(day.DayNumber);
                    w.Write(cost);
                    w.Write(usage);
                }

                w.Write(state.LastRecommendation.HasValue);
                w.Write(state.LastRecommendation?.Day.DayNumber ?? 0);
                w.Write(state.LastRecommendation?.Saving ?? 0);
                w.Write(state.InstanceSum);
                w.Write(state.CpuInstanceSum);
            }

            var sent = _sentAlerts.TryGetValue(scope, out var ids) ? ids.Order(StringComparer.Ordinal).ToList() : [];
            w.Write(sent.Count);
            foreach (var id in sent)
            {
                w.Write(id);
            }
        });

    /// <summary>
    /// Replaces the state of the scopes in <paramref name="state"/> that <paramref name="accept"/> accepts and returns
    /// them; other scopes are left alone. <see cref="FormatException"/> on data it cannot read (state unchanged).
    /// </summary>
    public IReadOnlyList<string> MergeState(ReadOnlySpan<byte> state, Func<string, bool> accept) =>
        KeyedStageState.Merge(Read(state), accept, Forget, Put);

    /// <summary>Replaces the whole state.</summary>
    public void RestoreState(ReadOnlySpan<byte> state)
    {
        // Read first: on bad data the state stays as it was.
        var read = Read(state);
        _scopes.Clear();
        _sentAlerts.Clear();
        foreach (var (scope, scopeState) in read)
        {
            Put(scope, scopeState);
        }
    }

    /// <summary>Forgets <paramref name="scope"/>'s state.</summary>
    public void Forget(string scope)
    {
        _scopes.Remove(scope);
        _sentAlerts.Remove(scope);
    }

    private void Put(string scope, (ScopeState? State, HashSet<string> Sent) read)
    {
        if (read.State is not null)
        {
            _scopes[scope] = read.State;
        }

        if (read.Sent.Count > 0)
        {
            _sentAlerts[scope] = read.Sent;
        }
    }

    private static Dictionary<string, (ScopeState? State, HashSet<string> Sent)> Read(ReadOnlySpan<byte> data) =>
        KeyedStageState.Read<(ScopeState?, HashSet<string>)>(data, 1, StateVersion, "Cost", (r, version) =>
        {
            ScopeState? state = null;
            if (r.ReadBoolean())
            {
                var day = DateOnly.FromDayNumber(r.ReadInt32());
                state = new ScopeState { Day = day, FirstDay = DateOnly.FromDayNumber(r.ReadInt32()), FirstDayPartial = r.ReadBoolean() };
                state.CpuSum = r.ReadDouble();
                state.CpuCount = r.ReadInt32();
                state.Instances = r.ReadInt32();
                var hasForecast = r.ReadBoolean();
                var periodStart = r.ReadInt32();
                var amount = r.ReadDouble();
                state.ForecastSpend = hasForecast ? (DateOnly.FromDayNumber(periodStart), amount) : null;
                var days = r.ReadInt32();
                if (days < 0)
                {
                    throw new FormatException("Negative day count.");
                }

                for (var d = 0; d < days; d++)
                {
                    state.Days[DateOnly.FromDayNumber(r.ReadInt32())] = (r.ReadDouble(), r.ReadDouble());
                }

                if (version >= 2)
                {
                    var hasRecommendation = r.ReadBoolean();
                    var recommendationDay = r.ReadInt32();
                    var saving = r.ReadDouble();
                    state.LastRecommendation = hasRecommendation ? (DateOnly.FromDayNumber(recommendationDay), saving) : null;
                }

                if (version >= 3)
                {
                    state.InstanceSum = r.ReadDouble();
                    state.CpuInstanceSum = r.ReadDouble();
                }
                else
                {
                    state.InstanceSum = (double)state.Instances * state.CpuCount;
                    state.CpuInstanceSum = state.CpuSum * state.Instances;
                }
            }

            var sentCount = r.ReadInt32();
            if (sentCount < 0)
            {
                throw new FormatException("Negative alert count.");
            }

            var sent = new HashSet<string>(StringComparer.Ordinal);
            for (var j = 0; j < sentCount; j++)
            {
                sent.Add(r.ReadString());
            }

            return (state, sent);
        });
}
