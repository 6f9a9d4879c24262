using System.Buffers.Binary;
using System.Globalization;

namespace MetricsPipeline.Analytics.State;

/// <summary>
/// Checkpoints in a compacted Kafka topic (<c>&lt;group&gt;.state</c>, one store per group), so an instance on
/// another machine can take a partition over with its state.
/// </summary>
/// <remarks>
/// <para>Keys: <c>p/&lt;topic&gt;/&lt;partition&gt;</c> holds a partition record (<see cref="CheckpointCodec"/>);
/// <c>s/&lt;sequence&gt;/&lt;i&gt;</c> holds chunk i of a stages record, at most
/// <see cref="KafkaCheckpointStoreOptions.MaxChunkBytes"/> each; <c>s/&lt;sequence&gt;</c> holds its manifest
/// (<c>"MPCM"</c>, version, sequence, chunk count, total length, CRC-32 of the whole record, CRC-32 of the manifest),
/// written after every chunk. A stages record is complete when its manifest and all chunks are present and the CRC
/// matches; a partition record is usable only when its stages record is complete, so a reader never restores a
/// half-written checkpoint. Compaction keeps the newest value per key; deleted stages are tombstoned (one checkpoint
/// later than the directory store deletes them, so the previous checkpoint stays a complete fallback).</para>
/// <para>Reading: every load first reads what was appended since the previous load. Per partition the newest usable
/// record whose offset equals the group's committed offset wins, else the newest usable one. Records that cannot be
/// decoded are skipped and counted in <see cref="CorruptRecords"/>. When the broker dropped records (the embedded mock
/// keeps about 5 MB per partition and does not compact), a partition without a usable record starts clean; the
/// checkpointer counts that.</para>
/// <para>Thread-safe (one lock).</para>
/// </remarks>
public sealed class KafkaCheckpointStore : ICheckpointStore
{
    private const ushort ManifestVersion = 1;
    private static readonly TimeSpan RefreshReuse = TimeSpan.FromMilliseconds(250);
    private const int ManifestLength = 4 + 2 + 8 + 4 + 4 + 4 + 4;
    private static readonly byte[] ManifestMagic = "MPCM"u8.ToArray();

    private readonly ICheckpointLog _log;
    private readonly TimeProvider _time;
    private readonly KafkaCheckpointStoreOptions _options;
    private readonly Lock _gate = new();
    private readonly Dictionary<(string Topic, int Partition), List<PartitionCheckpoint>> _partitions = [];
    private readonly Dictionary<long, Manifest> _manifests = [];
    private readonly Dictionary<(long Sequence, int Index), byte[]> _chunks = [];
    private readonly Dictionary<long, StageCheckpoint> _assembled = [];
    private readonly Dictionary<long, int> _writtenChunks = [];
    private readonly Queue<long> _retired = new();
    private long _corrupt;
    private long _recordsRead;
    private long _lastRefresh;

    /// <summary>Creates the store on <paramref name="log"/> (the group's state topic).</summary>
    /// <param name="log">The group's state topic.</param>
    /// <param name="options">Chunk size and history; defaults when null.</param>
    /// <param name="time">Clock that lets one read serve a burst of loads (250 ms); the system clock when null.</param>
    public KafkaCheckpointStore(ICheckpointLog log, KafkaCheckpointStoreOptions? options = null, TimeProvider? time = null)
    {
        _log = log ?? throw new ArgumentNullException(nameof(log));
        _time = time ?? TimeProvider.System;
        _options = options ?? new KafkaCheckpointStoreOptions();
        _options.Validate();
    }

    /// <summary>Records read back that could not be decoded (skipped).</summary>
    public long CorruptRecords => Interlocked.Read(ref _corrupt);

    /// <summary>Records read back from the log so far.</summary>
    public long RecordsRead => Interlocked.Read(ref _recordsRead);

    /// <inheritdoc />
    public void SaveStages(string group, StageCheckpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        var data = CheckpointCodec.Encode(checkpoint);
        var chunks = Math.Max(1, (data.Length + _options.MaxChunkBytes - 1) / _options.MaxChunkBytes);
        var records = new List<KeyValuePair<string, byte[]?>>(chunks + 1);
        for (var i = 0; i < chunks; i++)
        {
            var offset = i * _options.MaxChunkBytes;
            records.Add(new(ChunkKey(checkpoint.Sequence, i), data.AsSpan(offset, Math.Min(_options.MaxChunkBytes, data.Length - offset)).ToArray()));
        }

        // The manifest goes last: until it is durable the chunks are invisible to readers.
        records.Add(new(StagesKey(checkpoint.Sequence), EncodeManifest(checkpoint.Sequence, chunks, data)));
        _log.Append(records);
        lock (_gate)
        {
            _writtenChunks[checkpoint.Sequence] = chunks;
        }
    }

    /// <inheritdoc />
    public void SavePartition(string group, PartitionCheckpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        _log.Append([new(PartitionKey(checkpoint.Topic, checkpoint.Partition), CheckpointCodec.Encode(checkpoint))]);
    }

    /// <inheritdoc />
    public CheckpointRead<PartitionCheckpoint> LoadPartition(string group, string topic, int partition) =>
        LoadPartition(group, topic, partition, -1);

    /// <inheritdoc />
    public CheckpointRead<PartitionCheckpoint> LoadPartition(string group, string topic, int partition, long committedOffset)
    {
        lock (_gate)
        {
            Refresh();
            if (!_partitions.TryGetValue((topic, partition), out var history) || history.Count == 0)
            {
                return CheckpointRead<PartitionCheckpoint>.Missing;
            }

            PartitionCheckpoint? newest = null;
            for (var i = history.Count - 1; i >= 0; i--)
            {
                var record = history[i];
                if (Assemble(record.Sequence) is null)
                {
                    continue;
                }

                if (committedOffset < 0 || record.NextOffset == committedOffset)
                {
                    return new CheckpointRead<PartitionCheckpoint>(record, null);
                }

                newest ??= record;
            }

            return newest is not null
                ? new CheckpointRead<PartitionCheckpoint>(newest, null)
                : new CheckpointRead<PartitionCheckpoint>(null, $"none of the {history.Count} checkpoint record(s) of {topic}/{partition} read back has a complete stages record (lost or half-written)");
        }
    }

    /// <inheritdoc />
    public CheckpointRead<StageCheckpoint> LoadStages(string group, long sequence)
    {
        lock (_gate)
        {
            Refresh();
            if (!_manifests.ContainsKey(sequence))
            {
                return CheckpointRead<StageCheckpoint>.Missing;
            }

            return Assemble(sequence) is { } stages
                ? new CheckpointRead<StageCheckpoint>(stages, null)
                : new CheckpointRead<StageCheckpoint>(null, $"stages record {sequence:x16} is incomplete or corrupt");
        }
    }

    /// <inheritdoc />
    public void DeleteStages(string group, long sequence)
    {
        List<KeyValuePair<string, byte[]?>>? tombstones = null;
        lock (_gate)
        {
            _retired.Enqueue(sequence);
            while (_retired.Count > 1)
            {
                var old = _retired.Dequeue();
                var chunks = _writtenChunks.Remove(old, out var n) ? n : _manifests.TryGetValue(old, out var m) ? m.Chunks : 0;
                tombstones ??= [];
                for (var i = 0; i < chunks; i++)
                {
                    tombstones.Add(new(ChunkKey(old, i), null));
                }

                tombstones.Add(new(StagesKey(old), null));
            }
        }

        if (tombstones is null)
        {
            return;
        }

        try
        {
            _log.Append(tombstones);
        }
#pragma warning disable CA1031 // Best effort: a leftover record is only wasted space until the next delete.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }

    // Loads come in bursts (one per assigned partition, inside the consumer's assignment callback, which must stay
    // well under the session timeout): one read to the end serves the whole burst.
    private void Refresh()
    {
        if (_lastRefresh != 0 && _time.GetElapsedTime(_lastRefresh) < RefreshReuse)
        {
            return;
        }

        _log.ReadNew(Apply);
        _lastRefresh = _time.GetTimestamp();
    }

    private void Apply(string key, byte[]? value)
    {
        Interlocked.Increment(ref _recordsRead);
        try
        {
            if (key.StartsWith("p/", StringComparison.Ordinal))
            {
                ApplyPartition(value);
            }
            else if (key.StartsWith("s/", StringComparison.Ordinal))
            {
                ApplyStages(key, value);
            }
            else if (value is not null)
            {
                // Tombstones of other keys (the topic's creation marker) carry nothing.
                Interlocked.Increment(ref _corrupt);
            }
        }
        catch (FormatException)
        {
            Interlocked.Increment(ref _corrupt);
        }
    }

    private void ApplyPartition(byte[]? value)
    {
        if (value is null)
        {
            return;
        }

        var record = CheckpointCodec.DecodePartition(value);
        var key = (record.Topic, record.Partition);
        if (!_partitions.TryGetValue(key, out var history))
        {
            history = [];
            _partitions[key] = history;
        }

        history.Add(record);
        if (history.Count > _options.HistoryPerPartition)
        {
            history.RemoveAt(0);
        }
    }

    private void ApplyStages(string key, byte[]? value)
    {
        var parts = key.Split('/');
        if (!long.TryParse(parts[1], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var sequence))
        {
            throw new FormatException($"Bad state key '{key}'.");
        }

        _assembled.Remove(sequence);
        if (parts.Length == 2)
        {
            if (value is null)
            {
                _manifests.Remove(sequence);
                return;
            }

            _manifests[sequence] = DecodeManifest(value, sequence);
            return;
        }

        if (parts.Length != 3 || !int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var index))
        {
            throw new FormatException($"Bad state key '{key}'.");
        }

        if (value is null)
        {
            _chunks.Remove((sequence, index));
        }
        else
        {
            _chunks[(sequence, index)] = value;
        }
    }

    private StageCheckpoint? Assemble(long sequence)
    {
        if (_assembled.TryGetValue(sequence, out var done))
        {
            return done;
        }

        if (!_manifests.TryGetValue(sequence, out var manifest))
        {
            return null;
        }

        var data = new byte[manifest.Length];
        var offset = 0;
        for (var i = 0; i < manifest.Chunks; i++)
        {
            if (!_chunks.TryGetValue((sequence, i), out var chunk) || offset + chunk.Length > data.Length)
            {
                return null;
            }

            chunk.CopyTo(data, offset);
            offset += chunk.Length;
        }

        if (offset != data.Length || Crc32.Compute(data) != manifest.Crc)
        {
            return null;
        }

        try
        {
            var stages = CheckpointCodec.DecodeStages(data);
            _assembled[sequence] = stages;
            return stages;
        }
        catch (FormatException)
        {
            Interlocked.Increment(ref _corrupt);
            return null;
        }
    }

    private static byte[] EncodeManifest(long sequence, int chunks, byte[] data)
    {
        var result = new byte[ManifestLength];
        ManifestMagic.CopyTo(result, 0);
        BinaryPrimitives.WriteUInt16LittleEndian(result.AsSpan(4), ManifestVersion);
        BinaryPrimitives.WriteInt64LittleEndian(result.AsSpan(6), sequence);
        BinaryPrimitives.WriteInt32LittleEndian(result.AsSpan(14), chunks);
        BinaryPrimitives.WriteInt32LittleEndian(result.AsSpan(18), data.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(result.AsSpan(22), Crc32.Compute(data));
        BinaryPrimitives.WriteUInt32LittleEndian(result.AsSpan(26), Crc32.Compute(result.AsSpan(0, 26)));
        return result;
    }

    private static Manifest DecodeManifest(byte[] value, long sequence)
    {
        if (value.Length != ManifestLength || !value.AsSpan(0, 4).SequenceEqual(ManifestMagic))
        {
            throw new FormatException("Not a stages manifest.");
        }

        if (BinaryPrimitives.ReadUInt32LittleEndian(value.AsSpan(26)) != Crc32.Compute(value.AsSpan(0, 26)))
        {
            throw new FormatException("Stages manifest CRC mismatch.");
        }

        var version = BinaryPrimitives.ReadUInt16LittleEndian(value.AsSpan(4));
        var chunks = BinaryPrimitives.ReadInt32LittleEndian(value.AsSpan(14));
        var length = BinaryPrimitives.ReadInt32LittleEndian(value.AsSpan(18));
        if (version == 0 || version > ManifestVersion || BinaryPrimitives.ReadInt64LittleEndian(value.AsSpan(6)) != sequence || chunks < 1 || length < 0)
        {
            throw new FormatException("Stages manifest is unsupported or inconsistent.");
        }

        return new Manifest(chunks, length, BinaryPrimitives.ReadUInt32LittleEndian(value.AsSpan(22)));
    }

    private static string PartitionKey(string topic, int partition) => string.Create(CultureInfo.InvariantCulture, $"p/{topic}/{partition}");

    private static string StagesKey(long sequence) => string.Create(CultureInfo.InvariantCulture, $"s/{sequence:x16}");

    private static string ChunkKey(long sequence, int index) => string.Create(CultureInfo.InvariantCulture, $"s/{sequence:x16}/{index}");

    private readonly record struct Manifest(int Chunks, int Length, uint Crc);
}
