using System.Globalization;
using MetricsPipeline.HttpWrite;
using MetricsPipeline.Testing;
using Xunit;

namespace MetricsPipeline.FaultInjection.Tests;

/// <summary>
/// Security basics of the <c>run</c> process: credentials come only from configuration (file or environment) and
/// never appear in its output, even at Trace level; its HTTP endpoints listen on loopback unless told otherwise.
/// </summary>
public class SecurityTests
{
    [Fact]
    public async Task WhenCredentialsAreConfiguredThenRunNeverLogsThemEvenAtTraceLevel()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var influx = await InfluxDbServer.StartAsync(ct);
        await using var rig = await PipelineRig.StartAsync(ct);
        var tokenFromFile = "planted-token-" + Guid.NewGuid().ToString("N");
        var passwordFromEnvironment = "planted-password-" + Guid.NewGuid().ToString("N");
        var saslFromFile = "planted-sasl-" + Guid.NewGuid().ToString("N");
        var extra = new Dictionary<string, object>
        {
            ["InfluxDb"] = new Dictionary<string, string> { ["Url"] = influx.Url, ["Database"] = "security_" + Guid.NewGuid().ToString("N")[..8], ["ApiVersion"] = "V1", ["Username"] = "pipeline", ["Token"] = tokenFromFile },
            ["Logging"] = new Dictionary<string, object> { ["LogLevel"] = new Dictionary<string, string> { ["Default"] = "Trace" } },
        };
        var environment = new Dictionary<string, string>
        {
            ["InfluxDb__Password"] = passwordFromEnvironment,

            // librdkafka settings pass through Kafka:Consumer:*; on a PLAINTEXT listener SASL is unused but configured.
            ["Kafka__Consumer__sasl.username"] = "pipeline",
            ["Kafka__Consumer__sasl.password"] = saslFromFile,
        };
        var run = rig.StartRun("run", "fault-security", null, PipelineRig.FreePort(), extra, environment);
        var fleet = rig.StartFleet("--services", "2", "--instances", "1", "--latency-samples", "2", "--history", "0s", "--duration", "3m", "--speed", "60");
        await PipelineRig.WaitForFleetAsync(fleet, TimeSpan.FromSeconds(90), ct);
        await PipelineRig.WaitUntilAsync(async () => await run.MetricAsync("pipeline_messages_received_total", ct) > 0, TimeSpan.FromSeconds(60), () => rig.Logs, ct);
        await run.StopAsync(ct);

        var logs = run.Process.Output;
        Assert.Contains("Consuming metrics as group fault-security", logs, StringComparison.Ordinal); // the log was captured
        Assert.True(logs.Contains("trce:", StringComparison.Ordinal) || logs.Contains("dbug:", StringComparison.Ordinal), "nothing below Information was logged:\n" + logs); // ... at Trace level
        foreach (var secret in new[] { tokenFromFile, passwordFromEnvironment, saslFromFile })
        {
            Assert.DoesNotContain(secret, logs, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task WhenNoListenAddressIsConfiguredThenRunsEndpointsListenOnLoopbackOnly()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var rig = await PipelineRig.StartAsync(ct);
        var run = rig.StartRun("run", "fault-loopback", Path.Combine(rig.Directory, "out"), 0, new Dictionary<string, object> { ["Host"] = new Dictionary<string, string>() });
        await run.Process.WaitForLineAsync(l => l.Contains("Consuming metrics as group", StringComparison.Ordinal), TimeSpan.FromSeconds(60), ct);

        // The endpoints start right after that line; poll the process's sockets until one listens (or it says it could not).
        var listening = ListeningSockets(run.Process.Id);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (listening.Count == 0 && !run.Process.Output.Contains("Could not listen", StringComparison.Ordinal) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200, ct);
            listening = ListeningSockets(run.Process.Id);
        }

        var logs = run.Process.Output;
        await run.StopAsync(ct);

        Assert.All(listening, address => Assert.True(address.StartsWith("127.0.0.1:", StringComparison.Ordinal) || address.StartsWith("[::1]:", StringComparison.Ordinal), address));

        // Either it listens (on loopback, above) or the default loopback port was taken by another process.
        Assert.True(
            listening.Contains("127.0.0.1:9464") || logs.Contains("Could not listen on 127.0.0.1:9464", StringComparison.Ordinal),
            $"no listener on the default 127.0.0.1:9464: [{string.Join(", ", listening)}]\n{logs}");
    }

    [Fact]
    public void WhenTheHttpWriteEndpointUsesItsDefaultsThenItListensOnLoopbackWithABodyLimit()
    {
        var options = new HttpWriteOptions();
        Assert.StartsWith("127.0.0.1:", options.Listen, StringComparison.Ordinal);
        Assert.InRange(options.MaxBodyBytes, 1, 64 * 1024 * 1024);
    }

    /// <summary>The TCP addresses the process listens on (its socket inodes matched against /proc/net/tcp and tcp6).</summary>
    private static List<string> ListeningSockets(int pid)
    {
        var inodes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var fd in Directory.EnumerateFiles($"/proc/{pid}/fd"))
        {
            try
            {
                var target = new FileInfo(fd).LinkTarget;
                if (target is not null && target.StartsWith("socket:[", StringComparison.Ordinal))
                {
                    inodes.Add(target[8..^1]);
                }
            }
            catch (IOException)
            {
                // The descriptor closed meanwhile.
            }
        }

        var result = new List<string>();
        foreach (var table in new[] { "/proc/net/tcp", "/proc/net/tcp6" })
        {
            foreach (var line in File.ReadLines(table).Skip(1))
            {
                var columns = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);

                // st 0A = LISTEN; column 9 is the inode.
                if (columns.Length > 9 && columns[3] == "0A" && inodes.Contains(columns[9]))
                {
                    result.Add(Decode(columns[1]));
                }
            }
        }

        return result;
    }

    private static string Decode(string hexAddress)
    {
        var parts = hexAddress.Split(':');
        var port = int.Parse(parts[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        if (parts[0].Length == 8)
        {
            var bytes = BitConverter.GetBytes(uint.Parse(parts[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture));
            return $"{bytes[0]}.{bytes[1]}.{bytes[2]}.{bytes[3]}:{port}";
        }

        // IPv6 (tcp6): loopback ::1 and v4-mapped loopback are reported as such; anything else by its hex.
        return parts[0] switch
        {
            "00000000000000000000000001000000" => $"[::1]:{port}",
            "0000000000000000FFFF00000100007F" => $"127.0.0.1:{port}",
            _ => $"[{parts[0]}]:{port}",
        };
    }
}
