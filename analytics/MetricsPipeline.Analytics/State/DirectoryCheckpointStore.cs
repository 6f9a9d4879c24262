using System.Globalization;

namespace MetricsPipeline.Analytics.State;

/// <summary>
/// Checkpoints as files: <c>&lt;root&gt;/&lt;group&gt;/&lt;topic&gt;.&lt;partition&gt;.ckpt</c> per partition and
/// <c>stages-&lt;sequence&gt;.ckpt</c> per checkpoint. Each file is written to a temporary name, flushed to disk and
/// renamed over the old one, so a crash leaves the previous record intact. Thread-safe.
/// </summary>
public sealed class DirectoryCheckpointStore : ICheckpointStore
{
    private readonly string _root;

    /// <summary>Uses (and creates) <paramref name="root"/>.</summary>
    public DirectoryCheckpointStore(string root)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        _root = Path.GetFullPath(root);
    }

    /// <inheritdoc />
    public void SaveStages(string group, StageCheckpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        Write(StagesPath(group, checkpoint.Sequence), CheckpointCodec.Encode(checkpoint));
    }

    /// <inheritdoc />
    public void SavePartition(string group, PartitionCheckpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        Write(PartitionPath(group, checkpoint.Topic, checkpoint.Partition), CheckpointCodec.Encode(checkpoint));
    }

    /// <inheritdoc />
    public CheckpointRead<PartitionCheckpoint> LoadPartition(string group, string topic, int partition) =>
        Read(PartitionPath(group, topic, partition), data =>
        {
            var record = CheckpointCodec.DecodePartition(data);
            return record.Topic == topic && record.Partition == partition
                ? record
                : throw new FormatException($"The file holds {record.Topic}/{record.Partition}, not {topic}/{partition}.");
        });

    /// <inheritdoc />
    public CheckpointRead<StageCheckpoint> LoadStages(string group, long sequence) =>
        Read(StagesPath(group, sequence), data => CheckpointCodec.DecodeStages(data));

    /// <inheritdoc />
    public void DeleteStages(string group, long sequence)
    {
        try
        {
            File.Delete(StagesPath(group, sequence));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Best effort: a leftover file is only wasted space.
        }
    }

    private static CheckpointRead<T> Read<T>(string path, Func<byte[], T> decode)
        where T : class
    {
        byte[] data;
        try
        {
            data = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return CheckpointRead<T>.Missing;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return new CheckpointRead<T>(null, $"{path}: {ex.Message}");
        }

        try
        {
            return new CheckpointRead<T>(decode(data), null);
        }
        catch (FormatException ex)
        {
            return new CheckpointRead<T>(null, $"{path}: {ex.Message}");
        }
    }

    private static void Write(string path, byte[] data)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = path + ".tmp";
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            stream.Write(data);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temp, path, overwrite: true);
    }

    private string GroupDirectory(string group) => Path.Combine(_root, Sanitize(group));

    private string PartitionPath(string group, string topic, int partition) =>
        Path.Combine(GroupDirectory(group), string.Create(CultureInfo.InvariantCulture, $"{Sanitize(topic)}.{partition}.ckpt"));

    private string StagesPath(string group, long sequence) =>
        Path.Combine(GroupDirectory(group), string.Create(CultureInfo.InvariantCulture, $"stages-{sequence:x16}.ckpt"));

    // Group and topic names are Kafka names ([a-zA-Z0-9._-]); anything else is replaced so a name never escapes the root.
    private static string Sanitize(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var chars = name.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (!(char.IsAsciiLetterOrDigit(chars[i]) || chars[i] is '-' or '_' or '.'))
            {
                chars[i] = '_';
            }
        }

        var result = new string(chars);
        return result is "." or ".." ? "_" : result;
    }
}
