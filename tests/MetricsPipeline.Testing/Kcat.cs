using System.Diagnostics;
using Xunit;

namespace MetricsPipeline.Testing;

/// <summary>Runs Debian's kcat, the reference Kafka client used to check what reached a topic.</summary>
public static class Kcat
{
    public const string Path = "/usr/bin/kcat";

    public static void Require()
    {
        if (!File.Exists(Path))
        {
            if (KafkaFixture.IsCi)
            {
                Assert.Fail("kcat is not installed at " + Path);
            }

            Assert.Skip("kcat is not installed at " + Path);
        }
    }

    /// <summary>Produces <paramref name="input"/> as one message (-D with a delimiter that never occurs keeps it whole).</summary>
    public static async Task ProduceOneMessageAsync(string bootstrap, string topic, string input)
    {
        var start = new ProcessStartInfo(Path, $"-b {bootstrap} -t {topic} -P -D \"\\x1e\"")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start)!;
        try
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            await process.StandardInput.WriteAsync(input + "\x1e");
            process.StandardInput.Close();
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(30));
            await process.WaitForExitAsync(timeout.Token);
            await output;
            Assert.True(process.ExitCode == 0, await error);
        }
        finally
        {
            KillIfRunning(process);
        }
    }

    /// <summary>Consumes the whole topic (-e: exit at the end of every partition) and returns the payloads.</summary>
    public static async Task<string> ConsumeAllAsync(string bootstrap, string topic)
    {
        var start = new ProcessStartInfo(Path, $"-b {bootstrap} -t {topic} -C -o beginning -e -q -f \"%s\\n\"")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start)!;
        try
        {
            process.StandardInput.Close();
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(30));
            await process.WaitForExitAsync(timeout.Token);
            Assert.True(process.ExitCode == 0, await error);
            return await output;
        }
        finally
        {
            KillIfRunning(process);
        }
    }

    // A kcat that outlived its wait (a timeout or a failed assertion) must not outlive the test.
    private static void KillIfRunning(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }
}
