using MetricsPipeline.Ingest.Model;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace MetricsPipeline.Sinks.Batching;

/// <summary>
/// The one reusable batching piece in front of every sink: it buffers items, hands them to an
/// <see cref="IBatchWriter{T}"/> in batches (by size and by time), retries transient failures with capped
/// exponential backoff and full jitter, routes permanent failures to the dead-letter sink, applies backpressure
/// when the buffer is full, and flushes on shutdown.
/// </summary>
/// <typeparam name="T">The item type.</typeparam>
/// <remarks>
/// One background loop writes batches strictly in order; a batch that keeps failing transiently blocks the ones
/// behind it (and, once the buffer is full, the producers) rather than being skipped, so nothing is lost while the
/// destination is down. All public members are thread-safe.
/// </remarks>
public sealed partial class BatchingSink<T> : IAsyncDisposable
{
    private readonly IBatchWriter<T> _writer;
    private readonly BatchingSinkOptions _options;
    private readonly string _name;
    private readonly IDeadLetterSink? _deadLetterSink;
    private readonly Func<IReadOnlyList<T>, ReadOnlyMemory<byte>>? _deadLetterFormatter;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Random _random;
    private readonly Lock _gate = new();
    private readonly Queue<PendingRequest<T>> _buffer = new();
    private readonly Queue<PendingRequest<T>> _spaceWaiters = new();
    private readonly List<(long Target, TaskCompletionSource Done)> _flushWaiters = [];
    private readonly ITimer _flushTimer;
    private readonly CancellationTokenSource _abort = new();
    private readonly Task _loop;
    private TaskCompletionSource _wake = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _held;
    private long _untaken;
    private long _admittedSeq;
    private long _takenSeq;
    private long _acknowledgedSeq;
    private long _flushTarget;
    private bool _stopping;
    private Task? _disposeTask;

    /// <summary>Creates the sink and starts its background loop.</summary>
    /// <param name="writer">Writes one batch to the destination.</param>
    /// <param name="options">Batching settings; <c>null</c> uses the defaults. Validated here.</param>
    /// <param name="name">The sink's name, used as the dead letters' <c>Stage</c> and in logs (e.g. <c>influxdb</c>).</param>
    /// <param name="deadLetterSink">Receives permanently rejected batches; when <c>null</c> they are logged and counted only.</param>
    /// <param name="deadLetterFormatter">Turns a rejected batch into the dead letter's payload (e.g. line protocol).</param>
    /// <param name="logger">Logger; the default logs nothing.</param>
    /// <param name="timeProvider">Clock and timers; the default is <see cref="TimeProvider.System"/>.</param>
    public BatchingSink(
        IBatchWriter<T> writer,
        BatchingSinkOptions? options = null,
        string name = "sink",
        IDeadLetterSink? deadLetterSink = null,
        Func<IReadOnlyList<T>, ReadOnlyMemory<byte>>? deadLetterFormatter = null,
        ILogger? logger = null,
        TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentException.ThrowIfNullOrEmpty(name);
        _options = options ?? new BatchingSinkOptions();
        _options.Validate();
        _writer = writer;
        _name = name;
        _deadLetterSink = deadLetterSink;
        _deadLetterFormatter = deadLetterFormatter;
        _logger = logger ?? NullLogger.Instance;
        _time = timeProvider ?? TimeProvider.System;
        _random = _options.Random ?? Random.Shared;
        _batch = new List<T>(Math.Min(_options.MaxBatchSize, 65_536));
        _flushTimer = _time.CreateTimer(static s => ((BatchingSink<T>)s!).Signal(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _loop = Task.Run(RunAsync);
    }

    /// <summary>The sink's counters.</summary>
    public SinkStatistics Statistics { get; } = new();

    /// <summary>
    /// Offers items to the sink. The returned <see cref="ValueTask{TResult}"/> completes when the items are accepted
    /// into the buffer — this is where backpressure applies: while the buffer is full it does not complete (unless
    /// <see cref="BatchingSinkOptions.DropWhenFull"/> is set, in which case the items are dropped and counted). The
    /// inner <see cref="Task"/> completes when every one of the items is durably written or routed to the dead-letter
    /// path ("acknowledged"); it faults with <see cref="ObjectDisposedException"/> only if the sink is disposed
    /// before it could finish. Dropped items count as acknowledged (the caller opted into losing them).
    /// </summary>
    /// <param name="items">The items, in order. The caller must not modify the list until it is acknowledged.</param>
    /// <param name="ct">Cancels waiting for buffer space (then nothing was accepted); has no effect once accepted.</param>
    /// <returns>The acceptance, carrying the acknowledgement.</returns>
    /// <exception cref="ObjectDisposedException">The sink is shutting down.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="ct"/> was cancelled before the items were accepted.</exception>
    public ValueTask<Task> EnqueueAsync(IReadOnlyList<T> items, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(items);
        if (items.Count == 0)
        {
            return new ValueTask<Task>(Task.CompletedTask);
        }

        ct.ThrowIfCancellationRequested();
        var request = new PendingRequest<T>(items);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_stopping, this);
            if (_spaceWaiters.Count == 0 && Fits(items.Count))
            {
                Admit(request);
                return new ValueTask<Task>(request.Acknowledged.Task);
            }

            if (_options.DropWhenFull)
            {
                Statistics.OnDropped(items.Count);
                return new ValueTask<Task>(Task.CompletedTask);
            }

            request.Admission = new TaskCompletionSource<Task>(TaskCreationOptions.RunContinuationsAsynchronously);
            _spaceWaiters.Enqueue(request);
        }

        return WaitForSpaceAsync(request, ct);
    }

    /// <summary>
    /// Completes when every item accepted before the call is acknowledged (written or dead-lettered), writing
    /// partial batches at once instead of waiting for <see cref="BatchingSinkOptions.FlushInterval"/>. Never throws:
    /// when <paramref name="ct"/> is cancelled or the sink is disposed it just returns; check
    /// <see cref="SinkStatistics.CurrentBuffered"/> if the difference matters.
    /// </summary>
    /// <param name="ct">Stops waiting.</param>
    /// <returns>A task that completes when flushed, cancelled or disposed.</returns>
    public async Task FlushAsync(CancellationToken ct = default)
    {
        Task done;
        lock (_gate)
        {
            if (_acknowledgedSeq >= _admittedSeq || _loop.IsCompleted)
            {
                return;
            }

            var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _flushWaiters.Add((_admittedSeq, waiter));
            _flushTarget = Math.Max(_flushTarget, _admittedSeq);
            done = waiter.Task;
            _wake.TrySetResult();
        }

        try
        {
            await done.WaitAsync(ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Lifecycle methods never throw; the caller asked to stop waiting.
        }
    }

    /// <summary>
    /// Stops accepting items, writes what is buffered (retrying as usual) for up to
    /// <see cref="BatchingSinkOptions.ShutdownTimeout"/>, then abandons the rest: their acknowledgements fault with
    /// <see cref="ObjectDisposedException"/>. Idempotent; never throws.
    /// </summary>
    /// <returns>A task that completes when the loop has stopped.</returns>
    public ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            _disposeTask ??= DisposeCoreAsync();
            return new ValueTask(_disposeTask);
        }
    }

    private async Task DisposeCoreAsync()
    {
        try
        {
            lock (_gate)
            {
                _stopping = true;
                while (_spaceWaiters.TryDequeue(out var waiter))
                {
                    waiter.Admission!.TrySetException(new ObjectDisposedException(GetType().Name, "The sink is shutting down."));
                }

                _wake.TrySetResult();
            }

            using var timeoutCancel = new CancellationTokenSource();
            var timeout = Task.Delay(_options.ShutdownTimeout, _time, timeoutCancel.Token);
            if (await Task.WhenAny(_loop, timeout).ConfigureAwait(false) != _loop)
            {
                _logger.LogWarning("Sink {Sink} did not flush within {Timeout}; abandoning {Count} buffered items.", _name, _options.ShutdownTimeout, Statistics.CurrentBuffered);
                await _abort.CancelAsync().ConfigureAwait(false);
            }

            await timeoutCancel.CancelAsync().ConfigureAwait(false);
            await _loop.ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "Sink {Sink} failed while shutting down.", _name);
        }
        finally
        {
            _flushTimer.Dispose();
        }
    }

    private async ValueTask<Task> WaitForSpaceAsync(PendingRequest<T> request, CancellationToken ct)
    {
        using var registration = ct.Register(() =>
        {
            lock (_gate)
            {
                // Under the lock either the admission or the cancellation wins, never both.
                if (request.Admission!.Task.IsCompleted)
                {
                    return;
                }

                RemoveWaiter(request);
                request.Admission.TrySetCanceled(ct);
            }
        });
        return await request.Admission!.Task.ConfigureAwait(false);
    }

    private void RemoveWaiter(PendingRequest<T> request)
    {
        var count = _spaceWaiters.Count;
        for (var i = 0; i < count; i++)
        {
            var next = _spaceWaiters.Dequeue();
            if (!ReferenceEquals(next, request))
            {
                _spaceWaiters.Enqueue(next);
            }
        }
    }

    private bool Fits(int count) => _held == 0 || _held + count <= _options.BufferCapacity;

    /// <summary>Puts a request into the buffer. Caller holds the lock.</summary>
    private void Admit(PendingRequest<T> request)
    {
        var count = request.Items.Count;
        var wasEmpty = _untaken == 0;
        request.AdmittedAt = _time.GetTimestamp();
        _buffer.Enqueue(request);
        _held += count;
        _untaken += count;
        _admittedSeq += count;
        Statistics.OnEnqueued(count);
        if (_untaken >= _options.MaxBatchSize)
        {
            _wake.TrySetResult();
        }
        else if (wasEmpty)
        {
            // Armed on the caller's thread, so a test that advances a fake clock right after enqueuing fires it.
            _flushTimer.Change(_options.FlushInterval, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>Admits waiting producers, in order, while they fit. Caller holds the lock.</summary>
    private void AdmitWaiters()
    {
        while (_spaceWaiters.TryPeek(out var waiter) && Fits(waiter.Items.Count))
        {
            _spaceWaiters.Dequeue();
            Admit(waiter);
            waiter.Admission!.TrySetResult(waiter.Acknowledged.Task);
        }
    }

    private void Signal()
    {
        lock (_gate)
        {
            _wake.TrySetResult();
        }
    }
}
