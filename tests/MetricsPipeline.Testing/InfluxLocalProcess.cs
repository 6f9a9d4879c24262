using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace MetricsPipeline.Testing;

/// <summary>
/// Runs the local <c>influxd</c> (1.x) unprivileged: its own temp directory for meta/data/wal, HTTP and RPC on free
/// loopback ports, reporting off, quiet logs. Stopping and starting again keeps the directory and the ports.
/// </summary>
public sealed partial class InfluxLocalProcess : IAsyncDisposable
{
    private const int SigTerm = 15;
    private readonly string _binary;
    private readonly string _directory;
    private readonly string _configPath;
    private readonly Queue<string> _logTail = new();
    private Process? _process;

    private InfluxLocalProcess(string binary)
    {
        _binary = binary;
        _directory = Path.Combine(Path.GetTempPath(), "metricspipeline-influxd-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_directory);
        HttpPort = FreeLoopbackPort();
        var rpcPort = FreeLoopbackPort();
        while (rpcPort == HttpPort)
        {
            rpcPort = FreeLoopbackPort();
        }

        _configPath = Path.Combine(_directory, "influxdb.conf");
        File.WriteAllText(_configPath, string.Create(CultureInfo.InvariantCulture, $$"""
            # Generated for one test server; ports are free loopback ports so servers never clash.
            reporting-disabled = true
            bind-address = "127.0.0.1:{{rpcPort}}"

            [meta]
              dir = "{{_directory}}/meta"
              logging-enabled = false

            [data]
              dir = "{{_directory}}/data"
              wal-dir = "{{_directory}}/wal"
              query-log-enabled = false

            [monitor]
              store-enabled = false

            [continuous_queries]
              enabled = false

            [http]
              enabled = true
              bind-address = "127.0.0.1:{{HttpPort}}"
              auth-enabled = false
              log-enabled = false

            [logging]
              level = "error"
              suppress-logo = true
            """));
    }

    public int HttpPort { get; }

    public string Url => $"http://127.0.0.1:{HttpPort}";

    /// <summary>Finds influxd on PATH or at /usr/bin/influxd; <c>null</c> when absent.</summary>
    public static string? FindBinary()
    {
        var candidates = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, "influxd"))
            .Append("/usr/bin/influxd");
        return candidates.FirstOrDefault(File.Exists);
    }

    public static async Task<InfluxLocalProcess> StartAsync(string binary, CancellationToken ct)
    {
        var server = new InfluxLocalProcess(binary);
        try
        {
            await server.StartAgainAsync(ct);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    public async Task StartAgainAsync(CancellationToken ct = default)
    {
        if (_process is { HasExited: false })
        {
            return;
        }

        var info = new ProcessStartInfo(_binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("run");
        info.ArgumentList.Add("-config");
        info.ArgumentList.Add(_configPath);
        var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => Remember(e.Data);
        process.ErrorDataReceived += (_, e) => Remember(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process?.Dispose();
        _process = process;

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            if (process.HasExited)
            {
                throw new InfluxDbUnavailableException($"influxd exited with code {process.ExitCode} before answering /ping: {LogTail()}");
            }

            if (await InfluxDbServer.PingAsync(Url, ct))
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new InfluxDbUnavailableException($"influxd did not answer /ping within 30 s: {LogTail()}");
            }

            // Waiting for another process to open its port; there is no event to await.
            await Task.Delay(50, ct);
        }
    }

    public async Task StopAsync()
    {
        var process = _process;
        if (process is null || process.HasExited)
        {
            return;
        }

        // SIGTERM lets influxd close its WAL cleanly; SIGKILL only if it hangs.
        _ = Kill(process.Id, SigTerm);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync();
        }
        finally
        {
            _process?.Dispose();
            try
            {
                Directory.Delete(_directory, recursive: true);
            }
            catch (IOException)
            {
                // Best effort; it lives under the temp directory anyway.
            }
        }
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private void Remember(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_logTail)
        {
            _logTail.Enqueue(line);
            while (_logTail.Count > 30)
            {
                _logTail.Dequeue();
            }
        }
    }

    private string LogTail()
    {
        lock (_logTail)
        {
            return string.Join(Environment.NewLine, _logTail);
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
