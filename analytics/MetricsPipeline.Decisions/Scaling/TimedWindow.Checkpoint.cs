using MetricsPipeline.Decisions.State;

namespace MetricsPipeline.Decisions.Scaling;

/// <content>Snapshot and restore of the window's items and running sum (kept exactly, so means do not drift).</content>
internal sealed partial class TimedWindow
{
    public void Save(BinaryWriter w)
    {
        w.Write(_items.Count);
        foreach (var (time, value) in _items)
        {
            StateIO.Write(w, time);
            w.Write(value);
        }

        w.Write(_sum);
    }

    public void Restore(BinaryReader r)
    {
        _items.Clear();
        var count = r.ReadInt32();
        if (count < 0)
        {
            throw new FormatException("Negative item count.");
        }

        for (var i = 0; i < count; i++)
        {
            _items.Enqueue((StateIO.ReadInstant(r), r.ReadDouble()));
        }

        _sum = r.ReadDouble();
    }
}
