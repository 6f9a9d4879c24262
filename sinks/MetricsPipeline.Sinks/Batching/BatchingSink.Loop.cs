using MetricsPipeline.Ingest.Model;
using Microsoft.Extensions.Logging;

namespace MetricsPipeline.Sinks.Batching;

/// <summary>The background loop: forming batches, writing them with retry, dead-lettering and acknowledging.</summary>
public sealed partial class BatchingSink<T>
{
    private readonly List<T> _batch;
    private readonly List<(PendingRequest<T> Request, int Count)> _owners = [];

    private async Task RunAsync()
    {
        try
        {
            while (true)
            {
                Task? wait = null;
                TimeSpan? rearm = null;
                long measuredAt = 0;
                lock (_gate)
                {
                    if (_untaken == 0)
                    {
                        if (_stopping)
                        {
                            break;
                        }

                        wait = ResetWake();
                    }
                    else if (IsReady())
                    {
                        TakeBatch();
                    }
                    else
                    {
                        wait = ResetWake();
                        // The deadline is the oldest item's admission plus the flush interval; ArmFlushTimer measures
                        // the delay to it again when arming, because the clock may move in between.
                        rearm = _options.FlushInterval;
                        measuredAt = _buffer.Peek().AdmittedAt;
                    }
                }

                if (wait is not null)
                {
                    if (rearm is { } due)
                    {
                        // Outside the lock: timer callbacks take the lock, so changing a timer while holding it could deadlock.
                        ArmFlushTimer(due, measuredAt);
                    }

                    await wait.ConfigureAwait(false);
                    continue;
                }

                var outcome = await WriteWithRetryAsync().ConfigureAwait(false);
                if (outcome == BatchOutcome.Aborted)
                {
                    break;
                }

                Acknowledge();
            }
        }
        catch (Exception ex)
        {
            // Only a bug gets here; fail the waiting acknowledgements instead of leaving them hanging.
            _logger.LogError(ex, "Sink {Sink} loop failed.", _name);
        }

        AbandonRemaining();
    }

    private Task ResetWake()
    {
        if (_wake.Task.IsCompleted)
        {
            _wake = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        return _wake.Task;
    }

    /// <summary>Whether a batch should be written now; otherwise how long until the oldest item is due. Caller holds the lock.</summary>
    /// <summary>
    /// Arms the flush timer to fire <paramref name="due"/> after <paramref name="measuredAt"/>. The clock can move
    /// between measuring and arming (another thread advancing a fake clock, or this thread descheduled), and a timer
    /// armed late would fire late by that much — for a fake clock, never. So the delay is recomputed from the deadline
    /// until the clock reads the same before and after arming (a few rounds at most; a real clock's drift is negligible).
    /// </summary>
    private void ArmFlushTimer(TimeSpan due, long measuredAt)
    {
        for (var round = 0; round < 4; round++)
        {
            var before = _time.GetTimestamp();
            var delay = due - _time.GetElapsedTime(measuredAt, before);
            if (delay <= TimeSpan.Zero)
            {
                Signal();
                return;
            }

            _flushTimer.Change(delay, Timeout.InfiniteTimeSpan);
            if (_time.GetTimestamp() == before)
            {
                return;
            }
        }
    }

    private bool IsReady()
    {
        if (_stopping || _untaken >= _options.MaxBatchSize || _flushTarget > _takenSeq)
        {
            return true;
        }

        return _time.GetElapsedTime(_buffer.Peek().AdmittedAt) >= _options.FlushInterval;
    }

    /// <summary>Moves up to MaxBatchSize items, in order, from the buffer into the batch. Caller holds the lock.</summary>
    private void TakeBatch()
    {
        _batch.Clear();
        _owners.Clear();
        while (_batch.Count < _options.MaxBatchSize && _buffer.TryPeek(out var request))
        {
            var take = Math.Min(_options.MaxBatchSize - _batch.Count, request.Items.Count - request.Taken);
            for (var i = 0; i < take; i++)
            {
                _batch.Add(request.Items[request.Taken + i]);
            }

            request.Taken += take;
            _owners.Add((request, take));
            if (request.Taken == request.Items.Count)
            {
                _buffer.Dequeue();
            }
        }

        _untaken -= _batch.Count;
        _takenSeq += _batch.Count;
    }

    private async Task<BatchOutcome> WriteWithRetryAsync()
    {
        var firstAttempt = _time.GetTimestamp();
        for (var attempt = 0; ; attempt++)
        {
            var started = _time.GetTimestamp();
            TimeSpan delay;
            try
            {
                await _writer.WriteBatchAsync(_batch, _abort.Token).ConfigureAwait(false);
                Statistics.OnWritten(_batch.Count, _time.GetElapsedTime(started));
                return BatchOutcome.Written;
            }
            catch (OperationCanceledException) when (_abort.IsCancellationRequested)
            {
                return BatchOutcome.Aborted;
            }
            catch (PermanentWriteException ex)
            {
                return await DeadLetterAsync(ex.Reason, ex.Message).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                if (_options.MaxRetryDuration is { } limit && _time.GetElapsedTime(firstAttempt) >= limit)
                {
                    return await DeadLetterAsync("retry_exhausted", $"Gave up after {attempt + 1} attempts over {limit}: {ex.Message}").ConfigureAwait(false);
                }

                delay = ex is RetryableWriteException { RetryAfter: { } retryAfter } && retryAfter >= TimeSpan.Zero
                    ? retryAfter
                    : RetryBackoff.Compute(attempt, _options.InitialBackoff, _options.MaxBackoff, _random.NextDouble());
                _logger.LogWarning("Sink {Sink} failed to write {Count} items (attempt {Attempt}); retrying in {Delay}: {Error}", _name, _batch.Count, attempt + 1, delay, ex.Message);
            }

            if (!await DelayAsync(delay).ConfigureAwait(false))
            {
                return BatchOutcome.Aborted;
            }
        }
    }

    /// <summary>Waits, or returns <c>false</c> when the sink is aborted.</summary>
    private async Task<bool> DelayAsync(TimeSpan delay)
    {
        // The timer is created before the retry is counted, so an observer of Retries may advance a fake clock.
        var wait = Task.Delay(delay, _time, _abort.Token);
        Statistics.OnRetry();
        try
        {
            await wait.ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private async Task<BatchOutcome> DeadLetterAsync(string reason, string message)
    {
        _logger.LogError("Sink {Sink} rejected {Count} items permanently ({Reason}): {Message}", _name, _batch.Count, reason, message);
        if (_deadLetterSink is not null)
        {
            ReadOnlyMemory<byte> payload = default;
            try
            {
                payload = _deadLetterFormatter?.Invoke(_batch) ?? default;
            }
            catch (Exception ex)
            {
                _logger.LogError(ex, "Sink {Sink} could not format a dead letter; sending it without payload.", _name);
            }

            var letter = new DeadLetter(_name, reason, message, payload);
            for (var attempt = 0; ; attempt++)
            {
                try
                {
                    await _deadLetterSink.WriteAsync(letter, _abort.Token).ConfigureAwait(false);
                    break;
                }
                catch (OperationCanceledException) when (_abort.IsCancellationRequested)
                {
                    return BatchOutcome.Aborted;
                }
                catch (Exception ex)
                {
                    // The batch is acknowledged only once its dead letter is safe, so keep trying like a normal write.
                    _logger.LogWarning(ex, "Sink {Sink} could not write a dead letter; retrying.", _name);
                }

                var delay = RetryBackoff.Compute(attempt, _options.InitialBackoff, _options.MaxBackoff, _random.NextDouble());
                if (!await DelayAsync(delay).ConfigureAwait(false))
                {
                    return BatchOutcome.Aborted;
                }
            }
        }

        Statistics.OnDeadLettered(_batch.Count);
        return BatchOutcome.DeadLettered;
    }

    /// <summary>Completes the acknowledgements of the batch just finished and lets waiting producers in.</summary>
    private void Acknowledge()
    {
        lock (_gate)
        {
            foreach (var (request, count) in _owners)
            {
                request.Pending -= count;
                if (request.Pending == 0)
                {
                    request.Acknowledged.TrySetResult();
                }
            }

            _held -= _batch.Count;
            _acknowledgedSeq += _batch.Count;
            Statistics.OnAcknowledged(_batch.Count);
            _flushWaiters.RemoveAll(w =>
            {
                if (w.Target > _acknowledgedSeq)
                {
                    return false;
                }

                w.Done.TrySetResult();
                return true;
            });
            AdmitWaiters();
        }

        _batch.Clear();
        _owners.Clear();
    }

    /// <summary>After the loop ends: faults what was not acknowledged and releases flush waiters.</summary>
    private void AbandonRemaining()
    {
        lock (_gate)
        {
            _stopping = true;
            var error = new ObjectDisposedException(GetType().Name, $"Sink {_name} was disposed before these items were written.");
            foreach (var (request, _) in _owners)
            {
                request.Acknowledged.TrySetException(error);
            }

            while (_buffer.TryDequeue(out var request))
            {
                request.Acknowledged.TrySetException(error);
            }

            while (_spaceWaiters.TryDequeue(out var waiter))
            {
                waiter.Admission!.TrySetException(error);
            }

            foreach (var (_, done) in _flushWaiters)
            {
                done.TrySetResult();
            }

            _flushWaiters.Clear();
        }
    }
}
