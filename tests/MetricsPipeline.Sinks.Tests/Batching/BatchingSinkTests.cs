using MetricsPipeline.Sinks.Batching;
using MetricsPipeline.Sinks.Tests.Support;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace MetricsPipeline.Sinks.Tests.Batching;

public sealed class BatchingSinkTests : IAsyncDisposable
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero));
    private readonly List<BatchingSink<int>> _sinks = [];

    private static int[] Range(int start, int count) => Enumerable.Range(start, count).ToArray();

    /// <summary>Disposes every sink of the test on the fake clock, so a failed test ends instead of hanging.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var sink in _sinks)
        {
            await SinkDisposal.DisposeAsync(sink, _time);
        }
    }

    private BatchingSink<int> CreateSink(ScriptedWriter<int> writer, BatchingSinkOptions options, RecordingDeadLetterSink? deadLetters = null)
    {
        var sink = new BatchingSink<int>(writer, options, "test", deadLetters, batch => batch.SelectMany(BitConverter.GetBytes).ToArray(), timeProvider: _time);
        _sinks.Add(sink);
        return sink;
    }

    [Fact]
    public async Task WhenMaxBatchSizeItemsAreBufferedThenABatchIsWrittenWithoutWaitingForTime()
    {
        var writer = new ScriptedWriter<int>(_time);
        var sink = CreateSink(writer, new BatchingSinkOptions { MaxBatchSize = 3 });

        var ack = await sink.EnqueueAsync(Range(0, 3), TestContext.Current.CancellationToken);
        await ack.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

        Assert.Equal([0, 1, 2], Assert.Single(writer.Written));
        Assert.Equal(3, sink.Statistics.ItemsWritten);
        Assert.Equal(1, sink.Statistics.BatchesWritten);
        Assert.Equal(0, sink.Statistics.CurrentBuffered);
    }

    [Fact]
    public async Task WhenFewerItemsThanABatchAreBufferedThenTheyAreWrittenOnceTheFlushIntervalHasPassed()
    {
        var writer = new ScriptedWriter<int>(_time);
        var sink = CreateSink(writer, new BatchingSinkOptions { MaxBatchSize = 100, FlushInterval = TimeSpan.FromSeconds(1) });

        var ack = await sink.EnqueueAsync(Range(0, 2), TestContext.Current.CancellationToken);
        _time.Advance(TimeSpan.FromMilliseconds(999));
        await Eventually.SettleAsync();
        Assert.Equal(0, writer.CallCount);
        Assert.False(ack.IsCompleted);

        _time.Advance(TimeSpan.FromMilliseconds(1));
        await ack.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        Assert.Equal([0, 1], Assert.Single(writer.Written));
    }

    [Fact]
    public async Task WhenManyCallsAreBufferedThenBatchesKeepTheirOrderAndSize()
    {
        var writer = new ScriptedWriter<int>(_time);
        var sink = CreateSink(writer, new BatchingSinkOptions { MaxBatchSize = 7 });
        var acks = new List<Task>();
        for (var i = 0; i < 10; i++)
        {
            acks.Add(await sink.EnqueueAsync(Range(i * 5, 5), TestContext.Current.CancellationToken));
        }

        await sink.FlushAsync(TestContext.Current.CancellationToken);

        Assert.All(acks, a => Assert.True(a.IsCompletedSuccessfully));
        Assert.All(writer.Written, b => Assert.InRange(b.Length, 1, 7));
        Assert.Equal(Range(0, 50), writer.Written.SelectMany(b => b).ToArray());
    }

    [Fact]
    public async Task WhenTheWriteHasNotCompletedThenTheItemsAreNotAcknowledged()
    {
        var writer = new ScriptedWriter<int>(_time);
        var release = new TaskCompletionSource();
        writer.Then(() => release.Task);
        var sink = CreateSink(writer, new BatchingSinkOptions { MaxBatchSize = 2 });

        var ack = await sink.EnqueueAsync(Range(0, 2), TestContext.Current.CancellationToken);
        await Eventually.TrueAsync(() => writer.CallCount == 1, "the batch is being written");
        await Eventually.SettleAsync();
        Assert.False(ack.IsCompleted);
        Assert.Equal(2, sink.Statistics.CurrentBuffered);

        release.SetResult();
        await ack.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        Assert.Equal(2, sink.Statistics.ItemsWritten);
    }

    [Fact]
    public async Task WhenWritesFailTransientlyThenRetriesWaitForAnExponentialBackoffCappedAtTheMaximum()
    {
        var writer = new ScriptedWriter<int>(_time);
        for (var i = 0; i < 6; i++)
        {
            writer.ThenThrow(i % 2 == 0 ? new HttpRequestException("connection refused") : new RetryableWriteException("503"));
        }

        var options = new BatchingSinkOptions
        {
            MaxBatchSize = 1,
            InitialBackoff = TimeSpan.FromMilliseconds(100),
            MaxBackoff = TimeSpan.FromMilliseconds(1000),
            Random = new MaxJitter(),
        };
        var sink = CreateSink(writer, options);
        var ack = await sink.EnqueueAsync([42], TestContext.Current.CancellationToken);

        int[] expectedMs = [100, 200, 400, 800, 1000, 1000];
        for (var retry = 0; retry < expectedMs.Length; retry++)
        {
            var r = retry;
            await Eventually.TrueAsync(() => sink.Statistics.Retries == r + 1, $"retry {r + 1} is scheduled");
            _time.Advance(TimeSpan.FromMilliseconds(expectedMs[retry]) - TimeSpan.FromTicks(1));
            await Eventually.SettleAsync();
            Assert.Equal(retry + 1, writer.CallCount);
            Assert.False(ack.IsCompleted);
            _time.Advance(TimeSpan.FromTicks(1));
            await Eventually.TrueAsync(() => writer.CallCount == r + 2, $"attempt {r + 2} is made");
        }

        await ack.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        Assert.Equal(6, sink.Statistics.Retries);
        Assert.Equal(1, sink.Statistics.ItemsWritten);
        Assert.Equal(0, sink.Statistics.ItemsDropped);
        Assert.Equal(0, sink.Statistics.ItemsDeadLettered);
    }

    [Fact]
    public async Task WhenTheServerAsksToRetryAfterADelayThenTheNextAttemptWaitsExactlyThatLong()
    {
        var writer = new ScriptedWriter<int>(_time);
        writer.ThenThrow(new RetryableWriteException("429", TimeSpan.FromSeconds(7), 429));
        var sink = CreateSink(writer, new BatchingSinkOptions { MaxBatchSize = 1, InitialBackoff = TimeSpan.FromMilliseconds(100) });
        var ack = await sink.EnqueueAsync([1], TestContext.Current.CancellationToken);

        await Eventually.TrueAsync(() => sink.Statistics.Retries == 1, "the retry is scheduled");
        _time.Advance(TimeSpan.FromSeconds(7) - TimeSpan.FromMilliseconds(1));
        await Eventually.SettleAsync();
        Assert.Equal(1, writer.CallCount);

        _time.Advance(TimeSpan.FromMilliseconds(1));
        await ack.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        var calls = writer.Calls.ToArray();
        Assert.Equal(TimeSpan.FromSeconds(7), calls[1].At - calls[0].At);
    }

    [Fact]
    public async Task WhenTheWriteIsRejectedPermanentlyThenTheBatchIsDeadLetteredAndAcknowledged()
    {
        var writer = new ScriptedWriter<int>(_time);
        writer.ThenThrow(new PermanentWriteException("unable to parse 'x': invalid number", "http_400", 400));
        var deadLetters = new RecordingDeadLetterSink();
        var sink = CreateSink(writer, new BatchingSinkOptions { MaxBatchSize = 2 }, deadLetters);

        var rejected = await sink.EnqueueAsync([7, 8], TestContext.Current.CancellationToken);
        var next = await sink.EnqueueAsync([9, 10], TestContext.Current.CancellationToken);
        await Task.WhenAll(rejected, next).WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

        var letter = Assert.Single(deadLetters.Letters);
        Assert.Equal("test", letter.Stage);
        Assert.Equal("http_400", letter.Reason);
        Assert.Equal("unable to parse 'x': invalid number", letter.Message);
        Assert.Equal(new[] { 7, 8 }.SelectMany(BitConverter.GetBytes).ToArray(), letter.Payload.ToArray());
        Assert.Equal([9, 10], Assert.Single(writer.Written));
        Assert.Equal(2, sink.Statistics.ItemsDeadLettered);
        Assert.Equal(0, sink.Statistics.Retries);
    }

    [Fact]
    public async Task WhenRetriesExceedTheMaximumDurationThenTheBatchBecomesADeadLetter()
    {
        var writer = new ScriptedWriter<int>(_time) { Otherwise = () => Task.FromException(new RetryableWriteException("503")) };
        var deadLetters = new RecordingDeadLetterSink();
        var options = new BatchingSinkOptions { MaxBatchSize = 1, InitialBackoff = TimeSpan.FromSeconds(1), MaxBackoff = TimeSpan.FromSeconds(1), Random = new MaxJitter(), MaxRetryDuration = TimeSpan.FromSeconds(2) };
        var sink = CreateSink(writer, options, deadLetters);
        var ack = await sink.EnqueueAsync([1], TestContext.Current.CancellationToken);

        for (var i = 1; i <= 2; i++)
        {
            var n = i;
            await Eventually.TrueAsync(() => sink.Statistics.Retries == n, $"retry {n} is scheduled");
            _time.Advance(TimeSpan.FromSeconds(1));
        }

        await ack.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        Assert.Equal("retry_exhausted", Assert.Single(deadLetters.Letters).Reason);
        Assert.Equal(3, writer.CallCount);
    }

    [Fact]
    public async Task WhenTheBufferIsFullThenEnqueueDoesNotCompleteUntilItemsAreWritten()
    {
        var writer = new ScriptedWriter<int>(_time);
        var release = new TaskCompletionSource();
        writer.Then(() => release.Task);
        var sink = CreateSink(writer, new BatchingSinkOptions { MaxBatchSize = 4, BufferCapacity = 4 });

        var first = await sink.EnqueueAsync(Range(0, 4), TestContext.Current.CancellationToken);
        await Eventually.TrueAsync(() => writer.CallCount == 1, "the first batch is being written");
        var blocked = sink.EnqueueAsync([4], TestContext.Current.CancellationToken).AsTask();
        await Eventually.SettleAsync();
        Assert.False(blocked.IsCompleted);
        Assert.Equal(4, sink.Statistics.ItemsEnqueued);

        release.SetResult();
        var second = await blocked.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        await first;
        await sink.FlushAsync(TestContext.Current.CancellationToken);
        Assert.True(second.IsCompletedSuccessfully);
        Assert.Equal(Range(0, 5), writer.Written.SelectMany(b => b).ToArray());
        Assert.Equal(0, sink.Statistics.ItemsDropped);
    }

    [Fact]
    public async Task WhenWaitingForSpaceIsCancelledThenNothingIsAccepted()
    {
        var writer = new ScriptedWriter<int>(_time);
        var release = new TaskCompletionSource();
        writer.Then(() => release.Task);
        var sink = CreateSink(writer, new BatchingSinkOptions { MaxBatchSize = 2, BufferCapacity = 2 });
        _ = await sink.EnqueueAsync(Range(0, 2), TestContext.Current.CancellationToken);
        using var cancel = new CancellationTokenSource();

        var blocked = sink.EnqueueAsync([2], cancel.Token).AsTask();
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => blocked);
        release.SetResult();
        await sink.FlushAsync(TestContext.Current.CancellationToken);
        Assert.Equal(2, sink.Statistics.ItemsEnqueued);
        Assert.Equal(Range(0, 2), writer.Written.SelectMany(b => b).ToArray());
    }

    [Fact]
    public async Task WhenDroppingIsEnabledAndTheBufferIsFullThenTheItemsAreDroppedAndCounted()
    {
        var writer = new ScriptedWriter<int>(_time);
        var release = new TaskCompletionSource();
        writer.Then(() => release.Task);
        var sink = CreateSink(writer, new BatchingSinkOptions { MaxBatchSize = 3, BufferCapacity = 3, DropWhenFull = true });

        _ = await sink.EnqueueAsync(Range(0, 3), TestContext.Current.CancellationToken);
        var dropped = await sink.EnqueueAsync(Range(3, 2), TestContext.Current.CancellationToken);

        Assert.True(dropped.IsCompletedSuccessfully);
        Assert.Equal(2, sink.Statistics.ItemsDropped);
        release.SetResult();
        await sink.FlushAsync(TestContext.Current.CancellationToken);
        Assert.Equal(Range(0, 3), writer.Written.SelectMany(b => b).ToArray());
    }

    [Fact]
    public async Task WhenTheSinkIsDisposedThenBufferedItemsAreWrittenFirst()
    {
        var writer = new ScriptedWriter<int>(_time);
        var sink = CreateSink(writer, new BatchingSinkOptions { MaxBatchSize = 100 });
        var ack = await sink.EnqueueAsync(Range(0, 3), TestContext.Current.CancellationToken);

        await sink.DisposeAsync();

        Assert.True(ack.IsCompletedSuccessfully);
        Assert.Equal(Range(0, 3), Assert.Single(writer.Written));
    }

    [Fact]
    public async Task WhenTheSinkIsDisposedTwiceThenNothingThrowsAndLaterEnqueuesAreRefused()
    {
        var writer = new ScriptedWriter<int>(_time);
        var sink = CreateSink(writer, new BatchingSinkOptions());

        await sink.DisposeAsync();
        await sink.DisposeAsync();
        await sink.FlushAsync(TestContext.Current.CancellationToken);

        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await sink.EnqueueAsync([1], TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task WhenTheShutdownTimeoutPassesWhileTheServerIsDownThenDisposeReturnsAndTheAcknowledgementFaults()
    {
        var writer = new ScriptedWriter<int>(_time) { Otherwise = () => Task.FromException(new HttpRequestException("connection refused")) };
        var sink = CreateSink(writer, new BatchingSinkOptions { MaxBatchSize = 1, ShutdownTimeout = TimeSpan.FromSeconds(5), InitialBackoff = TimeSpan.FromSeconds(60), MaxBackoff = TimeSpan.FromSeconds(60), Random = new MaxJitter() });
        var ack = await sink.EnqueueAsync([1], TestContext.Current.CancellationToken);
        await Eventually.TrueAsync(() => sink.Statistics.Retries == 1, "the first retry is scheduled");

        var disposing = sink.DisposeAsync().AsTask();
        _time.Advance(TimeSpan.FromSeconds(5));

        await disposing.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => ack);
        Assert.Equal(0, sink.Statistics.ItemsWritten);
    }

    [Fact]
    public async Task WhenFlushIsCancelledThenItReturnsWithoutThrowing()
    {
        var writer = new ScriptedWriter<int>(_time);
        var release = new TaskCompletionSource();
        writer.Then(() => release.Task);
        var sink = CreateSink(writer, new BatchingSinkOptions());
        _ = await sink.EnqueueAsync([1], TestContext.Current.CancellationToken);
        using var cancel = new CancellationTokenSource();

        var flushing = sink.FlushAsync(cancel.Token);
        await cancel.CancelAsync();
        await flushing.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

        Assert.Equal(1, sink.Statistics.CurrentBuffered);
        release.SetResult();
    }
}
