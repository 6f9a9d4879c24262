using System.Diagnostics;
using System.Text;
using MetricsPipeline.Testing;
using Xunit;

namespace MetricsPipeline.Kafka.Tests;

internal static class KafkaTestSupport
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    public static KafkaSourceOptions SourceOptions(KafkaFixture kafka, string topic, string group)
    {
        var options = new KafkaSourceOptions { BootstrapServers = kafka.BootstrapServers, Topic = topic, GroupId = group };
        kafka.ApplyConsumerSettings(options.Settings);
        return options;
    }

    public static KafkaProducerOptions ProducerOptions(string bootstrapServers, string topic) => new()
    {
        BootstrapServers = bootstrapServers,
        Topic = topic,
        LingerMs = 10,
    };

    /// <summary>Reads batches until <paramref name="done"/> holds for everything read so far; fails after the deadline.</summary>
    public static async Task<List<KafkaRecord>> ReadUntilAsync(KafkaSource source, Func<List<KafkaRecord>, bool> done, bool acknowledge = true)
    {
        var records = new List<KafkaRecord>();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(Deadline);
        try
        {
            while (!done(records))
            {
                var batch = await source.Batches.ReadAsync(timeout.Token);
                records.AddRange(batch.Records);
                if (acknowledge)
                {
                    source.Acknowledge(batch);
                }
            }
        }
        catch (OperationCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
        {
            Assert.Fail($"Timed out after reading {records.Count} records.");
        }

        return records;
    }

    public static IEnumerable<string> Lines(KafkaRecord record) =>
        Encoding.UTF8.GetString(record.Value.Span).Split('\n', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Waits for a condition on live state (not for time): polls until it holds or the deadline passes.</summary>
    public static async Task WaitForAsync(Func<bool> condition, string what)
    {
        var stopwatch = Stopwatch.StartNew();
        while (!condition())
        {
            if (stopwatch.Elapsed > Deadline)
            {
                Assert.Fail("Timed out waiting for " + what);
            }

            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
    }

    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(string file, string arguments, string? input = null)
    {
        var start = new ProcessStartInfo(file, arguments)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start " + file);
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (input is not null)
        {
            await process.StandardInput.WriteAsync(input);
        }

        process.StandardInput.Close();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(Deadline);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await output, await error);
    }

    public const string Kcat = "/usr/bin/kcat";

    public static void RequireKcat()
    {
        if (!File.Exists(Kcat))
        {
            if (KafkaFixture.IsCi)
            {
                Assert.Fail("kcat is not installed at " + Kcat);
            }

            Assert.Skip("kcat is not installed at " + Kcat);
        }
    }
}
