using Xunit;

namespace MetricsPipeline.Decisions.Tests;

/// <summary>Turns a current (version 5) threshold-alert state into the layout an older version wrote.</summary>
internal static class AlertStateVersions
{
    /// <summary>
    /// Version 4 lacks the "for" clocks of the levels above the next one; version 3 also lacks each state's last-value
    /// time; version 2 also lacks the services' last-snapshot section.
    /// </summary>
    public static byte[] Downgrade(byte[] v5, byte version)
    {
        Assert.InRange(version, (byte)2, (byte)4);
        using var r = new BinaryReader(new MemoryStream(v5));
        using var output = new MemoryStream();
        using var w = new BinaryWriter(output);
        Assert.Equal(5, r.ReadByte());
        w.Write(version);
        var states = r.ReadInt32();
        w.Write(states);
        for (int i = 0; i < states; i++)
        {
            w.Write(r.ReadString());
            w.Write(r.ReadString());
            w.Write(r.ReadInt32());
            CopyOptional(r, w);
            w.Write(r.ReadInt64());
            w.Write(r.ReadInt64());
            w.Write(r.ReadBoolean());
            var changes = r.ReadInt32();
            w.Write(changes);
            for (int c = 0; c < changes; c++)
            {
                w.Write(r.ReadInt64());
            }

            CopyOptional(r, w);
            CopyOptional(r, version >= 4 ? w : null); // the last-value time, new in version 4
            var clocks = r.ReadInt32(); // the levels' "for" clocks, new in version 5
            for (int c = 0; c < clocks; c++)
            {
                CopyOptional(r, null);
            }
        }

        var services = r.ReadInt32();
        Assert.True(services > 0);
        if (version >= 3)
        {
            w.Write(services);
            for (int i = 0; i < services; i++)
            {
                w.Write(r.ReadString());
                w.Write(r.ReadInt64());
            }
        }

        w.Flush();
        return output.ToArray();
    }

    private static void CopyOptional(BinaryReader r, BinaryWriter? w)
    {
        var has = r.ReadBoolean();
        w?.Write(has);
        if (has)
        {
            var ticks = r.ReadInt64();
            w?.Write(ticks);
        }
    }
}
