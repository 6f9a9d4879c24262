namespace MetricsPipeline.Anomaly.Numerics;

/// <summary>Tags checkpoints with the detector kind so a checkpoint cannot be restored into the wrong detector.</summary>
internal static class Checkpoint
{
    public static void WriteHeader(BinaryWriter writer, string kind)
    {
        writer.Write(kind);
        writer.Write(1);
    }

    public static void ReadHeader(BinaryReader reader, string kind)
    {
        var found = reader.ReadString();
        var version = reader.ReadInt32();
        if (found != kind || version != 1)
        {
            throw new InvalidDataException($"Checkpoint is for '{found}' v{version}, expected '{kind}' v1.");
        }
    }
}
