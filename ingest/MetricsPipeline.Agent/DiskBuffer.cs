using System.Globalization;

namespace MetricsPipeline.Agent;

/// <summary>
/// A bounded on-disk FIFO of batches: one file per batch, named by a zero-padded sequence number, so the oldest
/// batch is the smallest name and survives restarts. When adding a batch would exceed the byte bound, the oldest
/// batches are deleted and counted in <see cref="Dropped"/> (a full buffer drops the oldest data, never the newest:
/// recent metrics matter more after an outage). A batch is deleted only after it was delivered
/// (<see cref="Remove"/>), so delivery is at-least-once and, because a batch is one Kafka message that either
/// arrives whole or not at all, a batch is not duplicated unless the agent dies between the acknowledgement and the
/// deletion. Thread-safe (one lock).
/// </summary>
public sealed class DiskBuffer
{
    private const string Extension = ".lp";
    private readonly Lock gate = new();
    private readonly string directory;
    private readonly long maxBytes;
    private readonly SortedDictionary<long, long> sizes = [];
    private long nextSequence;
    private long bytes;
    private long dropped;

    /// <summary>Opens (creating if needed) the buffer in <paramref name="directory"/>, picking up batches left by a previous run.</summary>
    public DiskBuffer(string directory, long maxBytes)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        this.directory = directory;
        this.maxBytes = maxBytes;
        Directory.CreateDirectory(directory);
        foreach (var file in Directory.EnumerateFiles(directory, "*" + Extension))
        {
            if (long.TryParse(Path.GetFileNameWithoutExtension(file), NumberStyles.None, CultureInfo.InvariantCulture, out var sequence))
            {
                var length = new FileInfo(file).Length;
                sizes[sequence] = length;
                bytes += length;
                nextSequence = Math.Max(nextSequence, sequence + 1);
            }
        }
    }

    /// <summary>Batches waiting.</summary>
    public int Count
    {
        get
        {
            lock (gate)
            {
                return sizes.Count;
            }
        }
    }

    /// <summary>Bytes waiting.</summary>
    public long Bytes => Interlocked.Read(ref bytes);

    /// <summary>Batches deleted unsent because the buffer was full.</summary>
    public long Dropped => Interlocked.Read(ref dropped);

    /// <summary>Appends a batch (written to a temporary name, then renamed, so a crash never leaves half a batch).</summary>
    public void Add(ReadOnlySpan<byte> batch)
    {
        lock (gate)
        {
            while (sizes.Count > 0 && bytes + batch.Length > maxBytes)
            {
                var oldest = sizes.First();
                DeleteLocked(oldest.Key);
                Interlocked.Increment(ref dropped);
            }

            var sequence = nextSequence++;
            var path = PathOf(sequence);
            var temporary = path + ".tmp";
            using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                file.Write(batch);
                file.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: true);
            sizes[sequence] = batch.Length;
            Interlocked.Add(ref bytes, batch.Length);
        }
    }

    /// <summary>Reads the oldest batch without removing it; <c>false</c> when empty.</summary>
    public bool TryPeek(out long sequence, out byte[] batch)
    {
        lock (gate)
        {
            while (sizes.Count > 0)
            {
                sequence = sizes.First().Key;
                try
                {
                    batch = File.ReadAllBytes(PathOf(sequence));
                    return true;
                }
                catch (FileNotFoundException)
                {
                    sizes.Remove(sequence);
                }
            }
        }

        sequence = -1;
        batch = [];
        return false;
    }

    /// <summary>Deletes the batch <paramref name="sequence"/> after its delivery. Unknown sequences are ignored.</summary>
    public void Remove(long sequence)
    {
        lock (gate)
        {
            DeleteLocked(sequence);
        }
    }

    private void DeleteLocked(long sequence)
    {
        if (!sizes.Remove(sequence, out var length))
        {
            return;
        }

        Interlocked.Add(ref bytes, -length);
        try
        {
            File.Delete(PathOf(sequence));
        }
        catch (IOException)
        {
            // Already gone; the bookkeeping above is what counts.
        }
    }

    private string PathOf(long sequence) => Path.Combine(directory, sequence.ToString("D19", CultureInfo.InvariantCulture) + Extension);
}
