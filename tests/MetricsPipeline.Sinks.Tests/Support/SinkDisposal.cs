using MetricsPipeline.Sinks.Batching;
using Microsoft.Extensions.Time.Testing;

namespace MetricsPipeline.Sinks.Tests.Support;

/// <summary>
/// Disposes a sink that runs on a fake clock. Disposal waits up to the shutdown timeout in the sink's own (fake) time,
/// so after a failed test it would wait forever; this moves the fake clock on until disposal finishes, giving up after
/// a minute of real time with an exception instead of a hang.
/// </summary>
internal static class SinkDisposal
{
    public static async Task DisposeAsync<T>(BatchingSink<T> sink, FakeTimeProvider time)
    {
        var disposing = sink.DisposeAsync().AsTask();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!disposing.IsCompleted)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("The sink did not finish disposing within 60 s of real time.");
            }

            time.Advance(TimeSpan.FromSeconds(1));
            await Task.WhenAny(disposing, Task.Delay(10));
        }

        await disposing;
    }

    /// <summary>An owner for <c>await using</c> that disposes the sink as <see cref="DisposeAsync{T}"/> does.</summary>
    public static IAsyncDisposable Owning<T>(BatchingSink<T> sink, FakeTimeProvider time) => new Owner<T>(sink, time);

    private sealed class Owner<T>(BatchingSink<T> sink, FakeTimeProvider time) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await SinkDisposal.DisposeAsync(sink, time);
    }
}
