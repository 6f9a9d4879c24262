using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace MetricsPipeline.Sinks.InfluxDb.Local;

/// <summary>
/// Runs a local <c>influxd</c> 1.x as an unprivileged child process for tests and benches: its own directory for
/// meta/data/wal, HTTP and RPC on free loopback ports, reporting and query logs off, quiet logs. Stopping and starting
/// again keeps the directory and the ports (so data written before a stop is still there after it).
/// </summary>
/// <remarks>
/// One implementation for the test fixture (<c>MetricsPipeline.Testing.InfluxLocalProcess</c>) and
/// <c>metrics-pipeline bench soak</c>, which both need the same configuration and the same stop/start behaviour.
/// Not for production: it binds to loopback only and has authentication off.
/// </remarks>
public sealed partial class LocalInfluxd : IAsyncDisposable
{
    private const int SigTerm = 15;
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(2) };
    private readonly string binary;
    private readonly string directory;
    private readonly bool ownsDirectory;
    private readonly string configPath;
    private readonly int rpcPort;
    private readonly List<Socket> portGuards = [];
    private readonly Queue<string> logTail = new();
    private Process? process;

    private LocalInfluxd(string binary, string? directory)
    {
        this.binary = binary;
        ownsDirectory = directory is null;
        this.directory = directory ?? Path.Combine(Path.GetTempPath(), "metricspipeline-influxd-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(this.directory);
        HttpPort = FreeLoopbackPort();
        rpcPort = FreeLoopbackPort();
        while (rpcPort == HttpPort)
        {
            rpcPort = FreeLoopbackPort();
        }

        configPath = Path.Combine(this.directory, "influxdb.conf");
        File.WriteAllText(configPath, string.Create(CultureInfo.InvariantCulture, $$"""
            # Generated for one local server; ports are free loopback ports so servers never clash.
            reporting-disabled = true
            bind-address = "127.0.0.1:{{rpcPort}}"

            [meta]
              dir = "{{this.directory}}/meta"
              logging-enabled = false

            [data]
              dir = "{{this.directory}}/data"
              wal-dir = "{{this.directory}}/wal"
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

    /// <summary>The loopback port of the HTTP API.</summary>
    public int HttpPort { get; }

    /// <summary>The base URL of the HTTP API (<c>http://127.0.0.1:port</c>).</summary>
    public string Url => $"http://127.0.0.1:{HttpPort}";

    /// <summary>True while the child process runs.</summary>
    public bool IsRunning => process is { HasExited: false };

    /// <summary>Finds influxd on PATH or at /usr/bin/influxd; <c>null</c> when absent.</summary>
    public static string? FindBinary()
    {
        var candidates = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, "influxd"))
            .Append("/usr/bin/influxd");
        return candidates.FirstOrDefault(File.Exists);
    }

    /// <summary>
    /// Starts <paramref name="binary"/> and waits (at most 30 s) until it answers /ping. Its files go to
    /// <paramref name="directory"/> (kept on dispose) or, when null, to a new temp directory (deleted on dispose).
    /// </summary>
    /// <exception cref="InvalidOperationException">influxd exited before answering /ping.</exception>
    /// <exception cref="TimeoutException">influxd did not answer /ping within 30 s.</exception>
    public static async Task<LocalInfluxd> StartAsync(string binary, string? directory, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrEmpty(binary);
        for (var attempt = 1; ; attempt++)
        {
            var server = new LocalInfluxd(binary, directory);
            try
            {
                await server.StartAgainAsync(ct).ConfigureAwait(false);
                return server;
            }
            catch (InvalidOperationException) when (attempt < 3)
            {
                // The ports were free when probed, but another process can bind one before influxd does (influxd then
                // exits: "address already in use"): new ports are tried.
                await server.DisposeAsync().ConfigureAwait(false);
            }
            catch
            {
                await server.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }
    }

    /// <summary>True when <paramref name="url"/>/ping answers with success within 2 s; never throws except on cancellation.</summary>
    public static async Task<bool> PingAsync(string url, CancellationToken ct = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(2));
        try
        {
            using var response = await Http.GetAsync(new Uri($"{url}/ping"), timeout.Token).ConfigureAwait(false);
            return response.IsSuccessStatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>Starts the process again after <see cref="StopAsync"/> (same directory and ports); no-op while it runs.</summary>
    /// <exception cref="InvalidOperationException">influxd exited before answering /ping.</exception>
    /// <exception cref="TimeoutException">influxd did not answer /ping within 30 s.</exception>
    public async Task StartAgainAsync(CancellationToken ct = default)
    {
        if (IsRunning)
        {
            return;
        }

        ReleasePortGuards();
        var info = new ProcessStartInfo(binary)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("run");
        info.ArgumentList.Add("-config");
        info.ArgumentList.Add(configPath);
        var started = new Process { StartInfo = info };
        started.OutputDataReceived += (_, e) => Remember(e.Data);
        started.ErrorDataReceived += (_, e) => Remember(e.Data);
        started.Start();
        started.BeginOutputReadLine();
        started.BeginErrorReadLine();
        process?.Dispose();
        process = started;

        var deadline = Stopwatch.StartNew();
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            if (started.HasExited)
            {
                throw new InvalidOperationException($"influxd exited with code {started.ExitCode} before answering /ping: {LogTail()}");
            }

            if (await PingAsync(Url, ct).ConfigureAwait(false))
            {
                return;
            }

            if (deadline.Elapsed > TimeSpan.FromSeconds(30))
            {
                throw new TimeoutException($"influxd did not answer /ping within 30 s: {LogTail()}");
            }

            // Waiting for another process to open its port; there is no event to await.
            await Task.Delay(50, ct).ConfigureAwait(false);
        }
    }

    /// <summary>Stops the process (SIGTERM, so the WAL is closed cleanly; SIGKILL after 10 s). Never throws.</summary>
    public async Task StopAsync()
    {
        var running = process;
        if (running is null || running.HasExited)
        {
            return;
        }

        try
        {
            _ = Kill(running.Id, SigTerm);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await running.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                running.Kill(entireProcessTree: true);
                await running.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (InvalidOperationException)
        {
            // It exited between the check and the signal.
        }

        GuardPorts();
    }

    /// <summary>The last lines influxd printed (for error messages).</summary>
    public string LogTail()
    {
        lock (logTail)
        {
            return string.Join(Environment.NewLine, logTail);
        }
    }

    /// <summary>Stops the process and deletes the directory when this instance created it. Never throws.</summary>
    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        ReleasePortGuards();
        process?.Dispose();
        if (ownsDirectory)
        {
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Best effort; it lives under the temp directory anyway.
            }
        }
    }

    /// <summary>
    /// While the server is stopped its ports are free, and any process on the machine may be given one (a bind to port
    /// 0 elsewhere); influxd could not start again then (the outage tests stop it for 2 to 60 s). Sockets bound but
    /// not listening hold the ports (connections are refused, as by a stopped server) until the next start.
    /// </summary>
    private void GuardPorts()
    {
        lock (portGuards)
        {
            foreach (var port in new[] { HttpPort, rpcPort })
            {
                var guard = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                try
                {
                    // The stopped server's closed connections may still be in TIME_WAIT on its port.
                    guard.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
                    guard.Bind(new IPEndPoint(IPAddress.Loopback, port));
                    portGuards.Add(guard);
                }
                catch (SocketException)
                {
                    // Already taken by someone else: the next start reports it (influxd exits).
                    guard.Dispose();
                }
            }
        }
    }

    private void ReleasePortGuards()
    {
        lock (portGuards)
        {
            foreach (var guard in portGuards)
            {
                guard.Dispose();
            }

            portGuards.Clear();
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

        lock (logTail)
        {
            logTail.Enqueue(line);
            while (logTail.Count > 30)
            {
                logTail.Dequeue();
            }
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
