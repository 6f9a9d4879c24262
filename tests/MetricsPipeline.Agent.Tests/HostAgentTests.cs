using MetricsPipeline.Agent;
using Xunit;

namespace MetricsPipeline.Agent.Tests;

public sealed class HostAgentTests
{
    private static HostAgentOptions Options(FakeProc proc, long maxBufferBytes = 1 << 20) => new()
    {
        Root = proc.Root,
        HostName = "h",
        BufferDirectory = Path.Combine(proc.Root, "buffer"),
        MaxBufferBytes = maxBufferBytes,
    };

    private static void WriteLoad(FakeProc proc, int n) => proc.Write("proc/loadavg", $"{n}.0 0.0 0.0 1/{n} 1\n");

    [Fact]
    public async Task WhenKafkaIsUnreachableThenBatchesWaitOnDiskAndAreSentOldestFirstWithoutDuplicates()
    {
        using var proc = new FakeProc();
        var sender = new RecordingSender { Reachable = false };
        await using var agent = new HostAgent(Options(proc), sender);
        for (var i = 1; i <= 5; i++)
        {
            WriteLoad(proc, i);
            agent.CollectOnce();
            Assert.Equal(0, await agent.DrainAsync(TestContext.Current.CancellationToken));
        }

        Assert.Equal(5, agent.Buffer.Count);
        sender.Reachable = true;
        Assert.Equal(5, await agent.DrainAsync(TestContext.Current.CancellationToken));
        Assert.Equal(0, await agent.DrainAsync(TestContext.Current.CancellationToken));
        var loads = sender.Batches.Select(b => b.Split('\n').Single(l => l.StartsWith("system,", StringComparison.Ordinal))).ToList();
        Assert.Equal(["1", "2", "3", "4", "5"], loads.Select(l => l["system,host=h load1=".Length..l.IndexOf(',', "system,".Length)]));
        Assert.Equal(0, agent.Buffer.Count);
        Assert.Equal(0, agent.Buffer.Bytes);
    }

    [Fact]
    public async Task WhenTheBufferIsFullThenTheOldestBatchesAreDroppedAndCounted()
    {
        using var proc = new FakeProc();
        var sender = new RecordingSender { Reachable = false };
        await using var agent = new HostAgent(Options(proc, maxBufferBytes: 400), sender);
        for (var i = 1; i <= 10; i++)
        {
            WriteLoad(proc, i);
            agent.CollectOnce();
        }

        Assert.True(agent.Buffer.Bytes <= 400);
        Assert.True(agent.Buffer.Dropped > 0);
        sender.Reachable = true;
        await agent.DrainAsync(TestContext.Current.CancellationToken);
        var last = sender.Batches.Last();
        Assert.Contains("load1=10", last, StringComparison.Ordinal);
        Assert.DoesNotContain(sender.Batches, b => b.Contains("load1=1,", StringComparison.Ordinal));
    }

    [Fact]
    public async Task WhenTheAgentRestartsThenItResumesTheBacklogLeftOnDisk()
    {
        using var proc = new FakeProc();
        var sender = new RecordingSender { Reachable = false };
        await using (var first = new HostAgent(Options(proc), sender))
        {
            WriteLoad(proc, 7);
            first.CollectOnce();
        }

        sender.Reachable = true;
        await using var second = new HostAgent(Options(proc), sender);
        Assert.Equal(1, second.Buffer.Count);
        WriteLoad(proc, 8);
        second.CollectOnce();
        Assert.Equal(2, await second.DrainAsync(TestContext.Current.CancellationToken));
        Assert.Contains("load1=7", sender.Batches.First(), StringComparison.Ordinal);
        Assert.Contains("load1=8", sender.Batches.Last(), StringComparison.Ordinal);
    }
}
