using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;
using MetricsPipeline.Ingest.LineProtocol;
using MetricsPipeline.Ingest.Model;

namespace MetricsPipeline.Instrumentation;

/// <summary>
/// Listens to <see cref="System.Diagnostics.Metrics"/> instruments through a <see cref="MeterListener"/> and keeps
/// one aggregate per (instrument, tag set); <see cref="Collect"/> reads observable instruments and writes every
/// series as line protocol. Measurement callbacks never throw into the instrumented code (bad values and excess
/// series are counted and dropped). Thread-safe: measurements arrive on any thread, <see cref="Collect"/> on one.
/// </summary>
public sealed class MetricAggregator : IDisposable
{
    private readonly MeterListener listener = new();
    private readonly ConcurrentDictionary<string, SeriesState> series = new(StringComparer.Ordinal);
    private readonly MetricsPipelineExporterOptions options;
    private readonly ExporterStatistics statistics;
    private readonly TimeProvider clock;

    /// <summary>Creates the aggregator and starts listening to the meters selected by <paramref name="options"/>.</summary>
    public MetricAggregator(MetricsPipelineExporterOptions options, ExporterStatistics statistics, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(statistics);
        this.options = options;
        this.statistics = statistics;
        clock = timeProvider ?? TimeProvider.System;
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (Selected(instrument.Meter.Name) && KindOf(instrument) is { } kind)
            {
                l.EnableMeasurementEvents(instrument, kind);
            }
        };
        listener.SetMeasurementEventCallback<byte>((i, v, t, s) => Record(i, v, t, s));
        listener.SetMeasurementEventCallback<short>((i, v, t, s) => Record(i, v, t, s));
        listener.SetMeasurementEventCallback<int>((i, v, t, s) => Record(i, v, t, s));
        listener.SetMeasurementEventCallback<long>((i, v, t, s) => Record(i, v, t, s));
        listener.SetMeasurementEventCallback<float>((i, v, t, s) => Record(i, v, t, s));
        listener.SetMeasurementEventCallback<double>((i, v, t, s) => Record(i, v, t, s));
        listener.SetMeasurementEventCallback<decimal>((i, v, t, s) => Record(i, (double)v, t, s));
        listener.Start();
    }

    /// <summary>The number of series held.</summary>
    public int SeriesCount => series.Count;

    /// <summary>
    /// Reads the observable instruments, then writes one line per series that has something to report (counters
    /// always, others when recorded since the last call) into <paramref name="output"/>; histogram aggregates restart.
    /// Returns the number of lines.
    /// </summary>
    public int Collect(IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        listener.RecordObservableInstruments();
        var ts = (clock.GetUtcNow() - DateTimeOffset.UnixEpoch).Ticks * 100;
        var lines = 0;
        foreach (var state in series.Values)
        {
            MetricPoint? point;
            lock (state.Gate)
            {
                point = ToPoint(state, ts);
                if (state.Kind == InstrumentKind.Histogram)
                {
                    state.Value = 0;
                    state.Count = 0;
                    state.Min = double.PositiveInfinity;
                    state.Max = double.NegativeInfinity;
                }

                state.Dirty = false;
            }

            if (point is null)
            {
                continue;
            }

            try
            {
                LineProtocolWriter.Write(point, output);
                lines++;
            }
            catch (ArgumentException)
            {
                statistics.DroppedMeasurement(); // a name line protocol cannot carry
            }
        }

        return lines;
    }

    private static MetricPoint? ToPoint(SeriesState state, long ts)
    {
        KeyValuePair<string, FieldValue>[]? fields = state.Kind switch
        {
            InstrumentKind.Counter => [new("counter", FieldValue.FromDouble(state.Value))],
            InstrumentKind.UpDownCounter => [new("value", FieldValue.FromDouble(state.Value))],
            InstrumentKind.Gauge when state.Dirty => [new("gauge", FieldValue.FromDouble(state.Value))],
            InstrumentKind.Histogram when state.Dirty && state.Count > 0 =>
            [
                new("count", FieldValue.FromInt64(state.Count)),
                new("sum", FieldValue.FromDouble(state.Value)),
                new("min", FieldValue.FromDouble(state.Min)),
                new("max", FieldValue.FromDouble(state.Max)),
            ],
            _ => null,
        };
        return fields is null ? null : new MetricPoint(state.Measurement, state.Tags, fields, ts);
    }

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? kindState)
    {
        try
        {
            if (kindState is not InstrumentKind kind || !double.IsFinite(value))
            {
                statistics.DroppedMeasurement();
                return;
            }

            var state = Series(instrument, kind, tags);
            if (state is null)
            {
                statistics.DroppedMeasurement();
                return;
            }

            lock (state.Gate)
            {
                switch (kind)
                {
                    case InstrumentKind.Counter or InstrumentKind.UpDownCounter when !instrument.IsObservable:
                        state.Value += value;
                        break;
                    case InstrumentKind.Histogram:
                        state.Value += value;
                        state.Count++;
                        state.Min = Math.Min(state.Min, value);
                        state.Max = Math.Max(state.Max, value);
                        break;
                    default:
                        state.Value = value; // gauges, and observable counters which report their running total
                        break;
                }

                state.Dirty = true;
            }

            statistics.Measured();
        }
#pragma warning disable CA1031 // Never throw into the instrumented application.
        catch (Exception)
#pragma warning restore CA1031
        {
            statistics.DroppedMeasurement();
        }
    }

    private SeriesState? Series(Instrument instrument, InstrumentKind kind, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var key = new StringBuilder(instrument.Meter.Name).Append('\0').Append(instrument.Name);
        foreach (var tag in tags)
        {
            key.Append('\0').Append(tag.Key).Append('=').Append(Convert.ToString(tag.Value, CultureInfo.InvariantCulture));
        }

        var text = key.ToString();
        if (series.TryGetValue(text, out var existing))
        {
            return existing;
        }

        if (series.Count >= options.MaxSeries)
        {
            return null;
        }

        var all = new Dictionary<string, string>(options.Tags, StringComparer.Ordinal)
        {
            ["meter"] = instrument.Meter.Name,
        };
        if (!string.IsNullOrEmpty(instrument.Unit))
        {
            all["unit"] = instrument.Unit;
        }

        foreach (var tag in tags)
        {
            all[tag.Key] = Convert.ToString(tag.Value, CultureInfo.InvariantCulture) ?? string.Empty;
        }

        return series.GetOrAdd(text, _ => new SeriesState(instrument.Name, [.. all], kind));
    }

    private bool Selected(string meter) =>
        options.Meters.Count == 0 || options.Meters.Any(m => m.EndsWith('*') ? meter.StartsWith(m[..^1], StringComparison.Ordinal) : meter == m);

    private static InstrumentKind? KindOf(Instrument instrument)
    {
        var type = instrument.GetType();
        if (!type.IsGenericType)
        {
            return null;
        }

        var definition = type.GetGenericTypeDefinition();
        return definition == typeof(Counter<>) || definition == typeof(ObservableCounter<>) ? InstrumentKind.Counter
            : definition == typeof(UpDownCounter<>) || definition == typeof(ObservableUpDownCounter<>) ? InstrumentKind.UpDownCounter
            : definition == typeof(Histogram<>) ? InstrumentKind.Histogram
            : definition == typeof(ObservableGauge<>) || definition == typeof(Gauge<>) ? InstrumentKind.Gauge
            : null;
    }

    /// <summary>Stops listening.</summary>
    public void Dispose() => listener.Dispose();
}
