using System.Collections.Concurrent;
using System.Text;
using MetricsPipeline.HttpWrite;

namespace MetricsPipeline.HttpWrite.Tests;

internal sealed class ListTarget : ILineTarget
{
    public ConcurrentQueue<string> Lines { get; } = new();

    public ManualResetEventSlim? Gate { get; init; }

    public void Append(ReadOnlySpan<byte> seriesKey, ReadOnlySpan<byte> line)
    {
        Gate?.Wait(TimeSpan.FromSeconds(20));
        Lines.Enqueue(Encoding.UTF8.GetString(line));
    }
}
