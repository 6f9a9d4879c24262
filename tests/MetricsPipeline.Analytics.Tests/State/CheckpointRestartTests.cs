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

/// <summary>A pipeline stopped (abruptly or gracefully) and restarted from its checkpoint writes what an uninterrupted one writes.</summary>
public sealed class CheckpointRestartTests : IDisposable
{
    private const long S = 1_000_000_000L;
    private const int Ticks = 240;
    private static readonly long T0 = 1_700_000_000L * S;
    private readonly string _root = Path.Combine(Path.GetTempPath(), "mp-restart-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Theory]
    [InlineData(false, 97)]
    [InlineData(false, 300)]
    [InlineData(true, 211)]
    public void WhenThePipelineRestartsFromItsCheckpointThenOutputsAndStageStateEqualAnUninterruptedRun(bool graceful, int crashAfter)
    {
        var messages = Messages();
        var reference = new Run(new DirectoryCheckpointStore(Path.Combine(_root, "reference")));
        reference.Feed(messages);

        var store = new DirectoryCheckpointStore(Path.Combine(_root, "restarted"));
        var first = new Run(store);
        first.Feed(messages.Take(crashAfter));
        if (graceful)
        {
            first.StopGracefully();
        }

        var second = new Run(store);
        var replay = messages.Skip(0).Where(m => m.Offset >= second.StartOf(m.Partition)).ToList();
        second.Feed(replay);

        Assert.Equal(0, reference.Aggregator.Counters.LatePoints);
        Assert.NotEmpty(second.Starts);
        Assert.True(second.Starts.Values.Min() > 0, "the restart must resume from a checkpoint, not from the beginning");
        // At most one 1-minute window plus the 10-s grace is re-read: 35 ticks of 2 messages.
        Assert.True(replay.Count <= messages.Count - crashAfter + 72, $"replayed {replay.Count} messages, {messages.Count - crashAfter} were new");
        var merged = new Dictionary<string, string>(first.Written);
        foreach (var (key, value) in second.Written)
        {
            merged[key] = value;
        }

        Assert.Equal(reference.Written.Count, merged.Count);
        Assert.Equal(reference.Written.OrderBy(p => p.Key, StringComparer.Ordinal), merged.OrderBy(p => p.Key, StringComparer.Ordinal));
        Assert.Equal(reference.Stage.Windows, second.Stage.Windows);
        Assert.Equal(reference.Stage.Values, second.Stage.Values);
        Assert.Equal(0, second.Checkpointer.Counters.CleanStarts);
        // Re-read records behind the checkpoint are not late data: the first run counted them (issue 9).
        Assert.Equal(0, second.Aggregator.Counters.LatePoints);
        Assert.True(!graceful || second.Aggregator.Counters.ReplayedPoints > 0, "a graceful stop's checkpoint is behind its read position: the restart re-reads closed windows' points");
    }

    [Fact]
    public void WhenNewRecordsAfterTheReplayCarryPointsOfClosedWindowsThenTheyAreLateNotReplayed()
    {
        var messages = Messages();
        var store = new DirectoryCheckpointStore(Path.Combine(_root, "late"));
        var first = new Run(store);
        first.Feed(messages.Take(211));
        first.StopGracefully();

        var second = new Run(store);
        second.Feed(messages.Where(m => m.Offset >= second.StartOf(m.Partition)).ToList());
        var replayed = second.Aggregator.Counters.ReplayedPoints;
        Assert.True(replayed > 0);
        Assert.Equal(0, second.Aggregator.Counters.LatePoints);

        // A new record of partition 0 (past everything read) with a point of the first minute: genuinely late.
        var late = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"cpu,host=p0s0 usage=1 {T0 + S}\n"));
        second.Feed([new SourceMessage("metrics", 0, Ticks, late)]);

        Assert.Equal(1, second.Aggregator.Counters.LatePoints);
        Assert.Equal(replayed, second.Aggregator.Counters.ReplayedPoints);
    }

    [Fact]
    public void WhenThePartitionCheckpointsAreCorruptThenThePipelineStartsCleanCountsItAndStillWritesTheSameWindows()
    {
        var messages = Messages();
        var reference = new Run(new DirectoryCheckpointStore(Path.Combine(_root, "reference")));
        reference.Feed(messages);
        var store = new DirectoryCheckpointStore(Path.Combine(_root, "corrupt"));
        var first = new Run(store);
        first.Feed(messages.Take(150));
        foreach (var file in Directory.GetFiles(Path.Combine(_root, "corrupt"), "metrics.*.ckpt", SearchOption.AllDirectories))
        {
            var bytes = File.ReadAllBytes(file);
            bytes[^1] ^= 0xFF;
            File.WriteAllBytes(file, bytes);
        }

        var second = new Run(store);
        second.Feed(messages);

        Assert.Empty(second.Starts);
        Assert.Equal(2, second.Checkpointer.Counters.CleanStarts);
        Assert.Equal(reference.Written.OrderBy(p => p.Key, StringComparer.Ordinal), second.Written.OrderBy(p => p.Key, StringComparer.Ordinal));
    }

    [Fact]
    public void WhenAPartitionIsRevokedThenItsQueuedMessagesAndOpenWindowsAreNotEmitted()
    {
        var messages = Messages();
        var run = new Run(new DirectoryCheckpointStore(Path.Combine(_root, "revoke")));
        run.Feed(messages.Take(100));
        run.Checkpointer.OnRevoked([("metrics", 1)]);
        run.Aggregator.OnPartitionsChanged(false, "metrics", [1]);
        var before = run.Order.Count;
        run.Feed(messages.Skip(100));

        Assert.True(run.Order.Count > before);
        Assert.DoesNotContain(run.Order.Skip(before), key => key.Contains("host=p1", StringComparison.Ordinal));
        Assert.True(run.Checkpointer.Counters.MessagesSkipped > 0);
        Assert.True(run.Checkpointer.Counters.WindowsDiscarded > 0); // its open windows were dropped, not emitted later
        Assert.DoesNotContain(run.Acknowledged.Keys, k => k.Partition == 1 && run.Acknowledged[k] > 100);
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

        public Run(ICheckpointStore store)
        {
            var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddTicks(T0 / 100));
            Aggregator = new WindowAggregator(_options, new PipelineCounters(), time);
            Aggregator.OnPartitionsChanged(true, "metrics", [0, 1]);
            Checkpointer = new PipelineCheckpointer(
                new CheckpointOptions { Directory = "unused", Interval = TimeSpan.Zero },
                store,
                "group",
                Aggregator,
                [Stage],
                (topic, partition, next) => Acknowledged[(topic, partition)] = next,
                time);
            Starts = Checkpointer.OnAssigned([("metrics", 0), ("metrics", 1)]).ToDictionary(s => s.Key.Partition, s => s.Value);
            _input
                .WindowAggregateCheckpointed(Aggregator, new NoDeadLetters(), TimeSpan.FromHours(1), new HistoricalScheduler(), Checkpointer)
                .WriteAggregates(new CompletedSink(), _options.Quantiles, Checkpointer.OnAcknowledged, [Stage, Checkpointer.CaptureStage], (_, e) => throw e)
                .Subscribe(
                    batch =>
                    {
                        foreach (var w in batch.Windows)
                        {
                            Order.Add(Key(w));
                            Written[Key(w)] = string.Join(";", w.Fields.Select(f => string.Create(CultureInfo.InvariantCulture, $"{f.Field}:{f.Count}:{f.Sum}:{f.Min}:{f.Max}:{string.Join(",", f.Quantiles)}")));
                        }
                    },
                    error => throw error);
        }

        public WindowAggregator Aggregator { get; }

        public PipelineCheckpointer Checkpointer { get; }

        public SummingStage Stage { get; } = new();

        public Dictionary<int, long> Starts { get; }

        public Dictionary<(string Topic, int Partition), long> Acknowledged { get; } = [];

        public Dictionary<string, string> Written { get; } = [];

        public List<string> Order { get; } = [];

        public long StartOf(int partition) => Starts.TryGetValue(partition, out var start) ? start : 0;

        public void Feed(IEnumerable<SourceMessage> messages)
        {
            foreach (var message in messages)
            {
                _input.OnNext([message]);
            }
        }

        public void StopGracefully()
        {
            _input.OnCompleted();
            Checkpointer.WriteFinal();
        }

        private static string Key(WindowResult w) =>
            string.Create(CultureInfo.InvariantCulture, $"{w.Measurement},{string.Join(",", w.Tags.Select(t => t.Key + "=" + t.Value))} {w.Size} {w.StartNs}");
    }

    /// <summary>A stage whose state is the number of windows and values it saw: a window seen twice or never shows.</summary>
    private sealed class SummingStage : ICheckpointedStage
    {
        public long Windows { get; private set; }

        public long Values { get; private set; }

        public string Name => "summing";

        public IReadOnlyList<MetricPoint> OnWindows(AggregateBatch batch)
        {
            Windows += batch.Windows.Count;
            Values += batch.Windows.Sum(w => w.Fields.Sum(f => f.Count));
            return [];
        }

        public byte[] SaveState()
        {
            var state = new byte[16];
            BinaryPrimitives.WriteInt64LittleEndian(state, Windows);
            BinaryPrimitives.WriteInt64LittleEndian(state.AsSpan(8), Values);
            return state;
        }

        public void RestoreState(ReadOnlySpan<byte> state)
        {
            if (state.Length != 16)
            {
                throw new FormatException("16 bytes expected.");
            }

            Windows = BinaryPrimitives.ReadInt64LittleEndian(state);
            Values = BinaryPrimitives.ReadInt64LittleEndian(state[8..]);
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
