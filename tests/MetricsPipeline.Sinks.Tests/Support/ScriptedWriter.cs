using System.Collections.Concurrent;
using MetricsPipeline.Sinks.Batching;

namespace MetricsPipeline.Sinks.Tests.Support;

/// <summary>An in-memory batch writer whose behaviour per call is scripted by the test.</summary>
internal sealed class ScriptedWriter<T> : IBatchWriter<T>
{
    private readonly ConcurrentQueue<Func<Task>> _script = new();
    private readonly TimeProvider _time;
    private int _calls;

    public ScriptedWriter(TimeProvider time) => _time = time;

    /// <summary>Every call's batch (copied) with the fake time it arrived.</summary>
    public ConcurrentQueue<(T[] Batch, DateTimeOffset At)> Calls { get; } = new();

    /// <summary>Batches that succeeded, in order.</summary>
    public ConcurrentQueue<T[]> Written { get; } = new();

    public int CallCount => Volatile.Read(ref _calls);

    /// <summary>What happens when the script is empty; the default succeeds.</summary>
    public Func<Task> Otherwise { get; set; } = () => Task.CompletedTask;

    public ScriptedWriter<T> Then(Func<Task> behaviour)
    {
        _script.Enqueue(behaviour);
        return this;
    }

    public ScriptedWriter<T> ThenThrow(Exception error) => Then(() => Task.FromException(error));

    public async Task WriteBatchAsync(IReadOnlyList<T> batch, CancellationToken ct)
    {
        var copy = batch.ToArray();
        Calls.Enqueue((copy, _time.GetUtcNow()));
        Interlocked.Increment(ref _calls);
        var behaviour = _script.TryDequeue(out var next) ? next : Otherwise;
        await behaviour().WaitAsync(ct);
        Written.Enqueue(copy);
    }
}
