using System.Buffers.Binary;
using System.Globalization;
using System.Reactive.Concurrency;
using System.Reactive.Subjects;
using System.Text;
using MetricsPipeline.Analytics.Pipeline;
using MetricsPipeline.Analytics.State;
using MetricsPipeline.Analytics.Telemetry;
using MetricsPipeline.Analytics.Windows;
using MetricsPipeline.Ingest.Model;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace MetricsPipeline.Analytics.Tests.State;

/// <summary>
/// Keyed stage state checkpointed per partition (issue 9): the stages record carries each partition's own keys, a
/// member taking a partition over merges them before the replay, and a revoked partition's keys are dropped.
/// </summary>
public sealed class KeyedCheckpointTests : IDisposable
{
    private const long S = 1_000_000_000L;
    private const int Ticks = 240;
    private static readonly long T0 = 1_700_000_000L * S;
    private readonly string _root = Path.Combine(Path.GetTempPath(), "mp-keyed-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Fact]
    public void WhenAStagesRecordWithPartitionSectionsIsEncodedThenItDecodesToTheSameSections()
    {
        var sections = new Dictionary<(string Topic, int Partition), IReadOnlyDictionary<string, byte[]>>
        {
            [("metrics", 3)] = new Dictionary<string, byte[]> { ["forecast"] = [1, 2, 3], ["scaling"] = [] },
            [("metrics", 0)] = new Dictionary<string, byte[]> { ["anomaly"] = [9] },
        };
        var back = CheckpointCodec.DecodeStages(CheckpointCodec.Encode(new StageCheckpoint(7, 8, new Dictionary<string, byte[]> { ["x"] = [5] }, sections)));

        Assert.Equal(7, back.Sequence);
        Assert.Equal([5], back.States["x"]);
        Assert.NotNull(back.PartitionStates);
        Assert.Equal(2, back.PartitionStates.Count);
        Assert.Equal([1, 2, 3], back.PartitionStates[("metrics", 3)]["forecast"]);
        Assert.Empty(back.PartitionStates[("metrics", 3)]["scaling"]);
        Assert.Equal([9], back.PartitionStates[("metrics", 0)]["anomaly"]);
    }

    [Fact]
    public void WhenAVersion2StagesRecordIsDecodedThenItHasNoPartitionSections()
    {
        // A version 2 stages record is the version 3 layout without the trailing section count (4 bytes when empty).
        var v3 = CheckpointCodec.Encode(new StageCheckpoint(7, 8, new Dictionary<string, byte[]> { ["x"] = [5, 6] }));
        var payloadLength = v3.Length - 11 - 4 - 4;
        var v2 = new byte[11 + payloadLength + 4];
        v3.AsSpan(0, 11 + payloadLength).CopyTo(v2);
        BinaryPrimitives.WriteUInt16LittleEndian(v2.AsSpan(5), 2);
        BinaryPrimitives.WriteInt32LittleEndian(v2.AsSpan(7), payloadLength);
        BinaryPrimitives.WriteUInt32LittleEndian(v2.AsSpan(11 + payloadLength), Crc(v2.AsSpan(0, 11 + payloadLength)));

        var back = CheckpointCodec.DecodeStages(v2);
        Assert.Equal([5, 6], back.States["x"]);
        Assert.Null(back.PartitionStates);
        Assert.Throws<FormatException>(() => CheckpointCodec.DecodeStages(v3.AsSpan(0, v3.Length - 1)));

        v3[5] = CheckpointCodec.Version + 1;
        Assert.Contains("version", Assert.Throws<FormatException>(() => CheckpointCodec.DecodeStages(v3)).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(97)]
    [InlineData(211)]
    public void WhenAMemberTakesOverAPartitionThenItsKeysContinueFromTheDeadMembersCheckpoint(int crashAfter)
    {
        var messages = Messages();
        var reference = new Run(new DirectoryCheckpointStore(Path.Combine(_root, "reference")), [0, 1]);
        reference.Feed(messages);

        var store = new DirectoryCheckpointStore(Path.Combine(_root, "pair"));
        var a = new Run(store, [0]);
        var b = new Run(store, [1]);
        a.Feed(messages.Where(m => m.Partition == 0 && m.Offset < crashAfter));
        b.Feed(messages.Where(m => m.Partition == 1 && m.Offset < crashAfter));
        Assert.Contains(b.Stage.Keys, k => k.StartsWith("p1", StringComparison.Ordinal));

        // b dies; a is assigned partition 1 as well (a takeover: not its first assignment) and replays it.
        var starts = a.Assign(1);
        Assert.True(starts > 0, "the takeover must resume from b's checkpoint");
        a.Feed(messages.Where(m => (m.Partition == 0 && m.Offset >= crashAfter) || (m.Partition == 1 && m.Offset >= starts)).OrderBy(m => m.Offset).ThenBy(m => m.Partition));

        Assert.Equal(2, a.Checkpointer.Counters.KeysRestored); // p1s0, p1s1
        Assert.Equal(0, a.Checkpointer.Counters.StageRestoreFailures);
        Assert.Equal(reference.Stage.Keys, a.Stage.Keys);
        foreach (var key in reference.Stage.Keys)
        {
            Assert.Equal(reference.Stage.Get(key), a.Stage.Get(key));
        }
    }

    [Fact]
    public void WhenAPartitionIsRevokedThenOnlyTheKeysItAloneFedAreDropped()
    {
        var messages = Messages();
        var run = new Run(new DirectoryCheckpointStore(Path.Combine(_root, "revoke")), [0, 1]);
        run.Feed(messages.Take(100));
        Assert.Equal(4, run.Stage.Keys.Count);

        run.Checkpointer.OnRevoked([("metrics", 1)]);
        run.Aggregator.OnPartitionsChanged(false, "metrics", [1]);
        run.Feed(messages.Skip(100).Where(m => m.Partition == 0).Take(1));

        Assert.Equal(2, run.Checkpointer.Counters.KeysDropped);
        Assert.Equal(["p0s0", "p0s1"], run.Stage.Keys);
    }

    // CRC-32 (IEEE, reflected), as the codec computes it.
    private static uint Crc(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var i = 0; i < 8; i++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
            }
        }

        return ~crc;
    }

    // Two partitions, two series each, one point every 2 s for 8 minutes; message n of a partition is tick n.
    private static List<SourceMessage> Messages()
    {
        var result = new List<SourceMessage>();
        for (var tick = 0; tick < Ticks; tick++)
        {
            for (var p = 0; p < 2; p++)
            {
                var text = new StringBuilder();
                for (var k = 0; k < 2; k++)
                {
                    var value = ((tick * 7) + (k * 13) + (p * 31)) % 101;
                    text.Append(CultureInfo.InvariantCulture, $"cpu,host=p{p}s{k} usage={value},load={value * 0.5} {T0 + (tick * 2 * S)}\n");
                }

                result.Add(new SourceMessage("metrics", p, tick, Encoding.UTF8.GetBytes(text.ToString())));
            }
        }

        return result;
    }

    private sealed class Run
    {
        private readonly Subject<IReadOnlyList<SourceMessage>> _input = new();
        private readonly WindowOptions _options = new();

        public Run(ICheckpointStore store, int[] partitions)
        {
            var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddTicks(T0 / 100));
            Aggregator = new WindowAggregator(_options, new PipelineCounters(), time);
            Aggregator.OnPartitionsChanged(true, "metrics", partitions);
            Checkpointer = new PipelineCheckpointer(
                new CheckpointOptions { Directory = "unused", Interval = TimeSpan.Zero },
                store,
                "group",
                Aggregator,
                [Stage],
                (_, _, _) => { },
                time);
            Checkpointer.OnAssigned([.. partitions.Select(p => ("metrics", p))]);
            _input
                .WindowAggregateCheckpointed(Aggregator, new NoDeadLetters(), TimeSpan.FromHours(1), new HistoricalScheduler(), Checkpointer)
                .WriteAggregates(new CompletedSink(), _options.Quantiles, Checkpointer.OnAcknowledged, [Stage, Checkpointer.CaptureStage], (_, e) => throw e)
                .Subscribe(_ => { }, error => throw error);
        }

        public WindowAggregator Aggregator { get; }

        public PipelineCheckpointer Checkpointer { get; }

        public KeyedCountingStage Stage { get; } = new();

        public long Assign(int partition)
        {
            Aggregator.OnPartitionsChanged(true, "metrics", [partition]);
            return Checkpointer.OnAssigned([("metrics", partition)]).TryGetValue(("metrics", partition), out var start) ? start : 0;
        }

        public void Feed(IEnumerable<SourceMessage> messages)
        {
            foreach (var message in messages)
            {
                _input.OnNext([message]);
            }
        }
    }

    /// <summary>Per host: the windows and values it saw, so a window seen twice or never shows in its key's state.</summary>
    private sealed class KeyedCountingStage : IKeyedCheckpointedStage
    {
        private readonly SortedDictionary<string, (long Windows, long Values)> _counts = new(StringComparer.Ordinal);

        public string Name => "counting";

        public List<string> Keys => [.. _counts.Keys];

        public (long Windows, long Values) Get(string key) => _counts[key];

        public IReadOnlyList<MetricPoint> OnWindows(AggregateBatch batch)
        {
            foreach (var window in batch.Windows)
            {
                var key = window.Tags.Single(t => t.Key == "host").Value;
                var (windows, values) = _counts.GetValueOrDefault(key);
                _counts[key] = (windows + 1, values + window.Fields.Sum(f => f.Count));
            }

            return [];
        }

        public byte[] SaveState() => SaveKeys(_counts.Keys);

        public void RestoreState(ReadOnlySpan<byte> state)
        {
            var restored = Read(state);
            _counts.Clear();
            foreach (var (key, value) in restored)
            {
                _counts[key] = value;
            }
        }

        public void CollectKeys(WindowResult window, ICollection<string> keys) => keys.Add(window.Tags.Single(t => t.Key == "host").Value);

        public byte[] SaveKeys(IReadOnlyCollection<string> keys)
        {
            using var stream = new MemoryStream();
            using (var w = new BinaryWriter(stream))
            {
                var selected = keys.Where(_counts.ContainsKey).Order(StringComparer.Ordinal).ToList();
                w.Write(selected.Count);
                foreach (var key in selected)
                {
                    w.Write(key);
                    w.Write(_counts[key].Windows);
                    w.Write(_counts[key].Values);
                }
            }

            return stream.ToArray();
        }

        public IReadOnlyList<string> MergeKeys(ReadOnlySpan<byte> state, Func<string, bool> accept)
        {
            var merged = new List<string>();
            foreach (var (key, value) in Read(state))
            {
                if (accept(key))
                {
                    _counts[key] = value;
                    merged.Add(key);
                }
            }

            return merged;
        }

        public void DropKeys(IReadOnlyCollection<string> keys)
        {
            foreach (var key in keys)
            {
                _counts.Remove(key);
            }
        }

        private static List<(string Key, (long Windows, long Values) Value)> Read(ReadOnlySpan<byte> state)
        {
            try
            {
                using var r = new BinaryReader(new MemoryStream(state.ToArray()));
                var count = r.ReadInt32();
                var result = new List<(string, (long, long))>();
                for (var i = 0; i < count; i++)
                {
                    result.Add((r.ReadString(), (r.ReadInt64(), r.ReadInt64())));
                }

                return result;
            }
            catch (EndOfStreamException ex)
            {
                throw new FormatException(ex.Message, ex);
            }
        }
    }

    private sealed class CompletedSink : IAggregateSink
    {
        public ValueTask<Task> SubmitAsync(IReadOnlyList<MetricPoint> points, CancellationToken cancellationToken) => ValueTask.FromResult(Task.CompletedTask);
    }

    private sealed class NoDeadLetters : IDeadLetterSink
    {
        public ValueTask WriteAsync(DeadLetter letter, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;
    }
}
