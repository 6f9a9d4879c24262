using System.Reactive.Concurrency;
using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using System.Text;
using MetricsPipeline.Analytics.Pipeline;
using MetricsPipeline.Analytics.Telemetry;
using MetricsPipeline.Analytics.Windows;
using MetricsPipeline.Ingest.Model;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace MetricsPipeline.Analytics.Tests.Windows;

public class AnalyticsObservablesTests
{
    private const long S = 1_000_000_000L;
    private static readonly long T0 = 1_700_000_000L * S;

    private sealed class InMemorySink : IAggregateSink
    {
        public List<MetricPoint> Points { get; } = [];

        public List<TaskCompletionSource> Pending { get; } = [];

        public bool AutoAcknowledge { get; set; } = true;

        public ValueTask<Task> SubmitAsync(IReadOnlyList<MetricPoint> points, CancellationToken cancellationToken)
        {
            Points.AddRange(points);
            var tcs = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            if (AutoAcknowledge)
            {
                tcs.SetResult();
            }
            else
            {
                Pending.Add(tcs);
            }

            return ValueTask.FromResult(tcs.Task);
        }
    }

    private sealed class ListDeadLetters : IDeadLetterSink
    {
        public List<DeadLetter> Letters { get; } = [];

        public ValueTask WriteAsync(DeadLetter letter, CancellationToken cancellationToken = default)
        {
            Letters.Add(letter);
            return ValueTask.CompletedTask;
        }
    }

    private static IReadOnlyList<SourceMessage> Batch(long offset, string text) =>
        [new SourceMessage("metrics", 0, offset, Encoding.UTF8.GetBytes(text))];

    [Fact]
    public async Task WhenTheSourceCompletesThenEveryWindowIsWrittenAndEveryOffsetAcknowledged()
    {
        var options = new WindowOptions();
        var aggregator = new WindowAggregator(options, new PipelineCounters(), new FakeTimeProvider());
        var sink = new InMemorySink();
        var letters = new ListDeadLetters();
        var commits = new List<OffsetCommit>();
        var scheduler = new HistoricalScheduler();
        var source = new[]
        {
            Batch(0, $"cpu,host=a usage=10 {T0}\ncpu,host=a usage=30 {T0 + S}\n"),
            Batch(1, $"cpu,host=a usage=20 {T0 + (70 * S)}\nbad line\n"),
        }.ToObservable();

        await source
            .WindowAggregate(aggregator, letters, TimeSpan.FromSeconds(1), scheduler)
            .WriteAggregates(sink, options.Quantiles, c => commits.AddRange(c), TestContext.Current.CancellationToken)
            .DefaultIfEmpty()
            .LastAsync()
            .ToTask(TestContext.Current.CancellationToken)
            .WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);

        Assert.Single(letters.Letters);
        Assert.Equal(2, commits.Max(c => c.NextOffset));
        var tenSecond = sink.Points.Where(p => p.GetTag("window") == "10s").ToList();
        Assert.Equal(2, tenSecond.Count);
        Assert.Equal(2L, tenSecond[0].GetField("usage_count")!.Value.AsInt64);
        Assert.Equal(20.0, tenSecond[0].GetField("usage_mean")!.Value.AsDouble);
        var minute = sink.Points.Where(p => p.GetTag("window") == "1m").ToList();
        Assert.Equal(3L, minute.Sum(p => p.GetField("usage_count")!.Value.AsInt64));
    }

    [Fact]
    public void WhenTheSinkHasNotAcknowledgedThenNoOffsetIsStored()
    {
        var options = new WindowOptions { Grace = TimeSpan.Zero };
        var aggregator = new WindowAggregator(options, new PipelineCounters(), new FakeTimeProvider());
        var sink = new InMemorySink { AutoAcknowledge = false };
        var commits = new List<OffsetCommit>();
        var scheduler = new HistoricalScheduler();
        var source = new[]
        {
            Batch(0, $"m v=1 {T0}\n"),
            Batch(1, $"m v=1 {T0 + (61 * S)}\n"),
        }.ToObservable();

        source
            .WindowAggregate(aggregator, new ListDeadLetters(), TimeSpan.FromSeconds(1), scheduler)
            .WriteAggregates(sink, options.Quantiles, c => { lock (commits) { commits.AddRange(c); } }, TestContext.Current.CancellationToken)
            .Subscribe(_ => { }, TestContext.Current.CancellationToken);

        Assert.NotEmpty(sink.Pending);
        Assert.Empty(commits);
        foreach (var pending in sink.Pending)
        {
            pending.SetResult();
        }

        // Acknowledgements complete asynchronously, so the commits may arrive in more than one call. They run on the
        // thread pool, which on a loaded CI machine (14 test modules on 2 cores, CsCheck tests blocking pool threads)
        // may take seconds to start one: the bound only limits a failing run, a passing one returns at once.
        SpinWait.SpinUntil(() => { lock (commits) { return commits.Count > 0 && commits.Max(c => c.NextOffset) >= 2; } }, TimeSpan.FromSeconds(60));
        lock (commits)
        {
            Assert.Equal(2, commits.Max(c => c.NextOffset));
        }
    }
}
