using System.Diagnostics;
using MetricsPipeline.Testing;
using Xunit;

namespace MetricsPipeline.Kafka.Tests;

/// <summary>
/// Runs <c>metrics-pipeline broker</c> as a child process. This project does not reference the host, so the test
/// looks for the host's build output next to this one (same configuration); build the host first.
/// </summary>
public sealed class BrokerCommandTests
{
    [Fact]
    public async Task WhenTheBrokerCommandRunsThenItPrintsTheBootstrapLineFirstAcceptsAProduceAndExitsCleanlyOnSigterm()
    {
        KafkaTestSupport.RequireKcat();
        var hostDll = FindHostDll();
        var start = new ProcessStartInfo("dotnet", $"\"{hostDll}\" broker --partitions 4")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start)!;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
            timeout.CancelAfter(KafkaTestSupport.Deadline);
            var first = await process.StandardOutput.ReadLineAsync(timeout.Token);
            Assert.NotNull(first);
            Assert.StartsWith("bootstrap.servers=127.0.0.1:", first, StringComparison.Ordinal);
            var bootstrap = first["bootstrap.servers=".Length..];

            var produced = await KafkaTestSupport.RunAsync(KafkaTestSupport.Kcat, $"-b {bootstrap} -t metrics -P -p 3", "cpu,host=a usage=1 1\n");
            Assert.True(produced.ExitCode == 0, produced.Error);
            var consumed = await KafkaTestSupport.RunAsync(KafkaTestSupport.Kcat, $"-b {bootstrap} -t metrics -C -o beginning -e -q -f \"%p %s\\n\"");
            Assert.True(consumed.ExitCode == 0, consumed.Error);
            Assert.Equal("3 cpu,host=a usage=1 1", consumed.Output.Trim());

            var metadata = await KafkaTestSupport.RunAsync(KafkaTestSupport.Kcat, $"-b {bootstrap} -L");
            foreach (var topic in new KafkaTopicOptions().All())
            {
                Assert.Contains($"topic \"{topic}\" with 4 partitions", metadata.Output, StringComparison.Ordinal);
            }

            using var kill = Process.Start("kill", $"-TERM {process.Id}");
            await kill.WaitForExitAsync(timeout.Token);
            await process.WaitForExitAsync(timeout.Token);
            Assert.Equal(0, process.ExitCode);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    private static string FindHostDll()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "MetricsPipeline.sln")))
        {
            directory = directory.Parent;
        }

        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
        var path = directory is null
            ? null
            : Path.Combine(directory.FullName, "analytics", "MetricsPipeline.Host", "bin", configuration, "net10.0", "metrics-pipeline.dll");
        if (path is null || !File.Exists(path))
        {
            var message = $"The host is not built ({path ?? "repository root not found"}); run `dotnet build analytics/MetricsPipeline.Host` first.";
            if (KafkaFixture.IsCi)
            {
                Assert.Fail(message);
            }

            Assert.Skip(message);
        }

        return path;
    }
}
