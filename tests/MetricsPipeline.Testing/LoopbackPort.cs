using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace MetricsPipeline.Testing;

/// <summary>
/// Free loopback ports for a child process to listen on (a server the test starts with a port on its command line).
/// </summary>
/// <remarks>
/// A port taken with a bind to port 0 comes from the kernel's ephemeral range, and the kernel hands the same range out
/// to every other bind to port 0 on the machine: between this probe and the child's own bind (a second or more while
/// a process starts on a loaded machine) another test, here or in another engineer's run, could be given the port, and
/// the child could not listen. Ports below the ephemeral range are never handed out that way; only a process naming
/// the same port explicitly could take it.
/// </remarks>
public static class LoopbackPort
{
    private const int Lowest = 10_000;

    /// <summary>A port below the ephemeral range that nothing listens on or is bound to right now.</summary>
    /// <exception cref="InvalidOperationException">No free port was found in 200 tries.</exception>
    public static int Free()
    {
        var highest = EphemeralStart();
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var port = Random.Shared.Next(Lowest, highest);
            try
            {
                using var probe = new TcpListener(IPAddress.Loopback, port);
                probe.Start();
                return port;
            }
            catch (SocketException)
            {
                // In use: try another.
            }
        }

        throw new InvalidOperationException($"No free loopback port between {Lowest} and {highest}.");
    }

    /// <summary>
    /// A loopback socket bound but not listening: connections to <paramref name="port"/> are refused, as by a stopped
    /// server, and no other process can be given the port while the socket is held (a port closed just before could
    /// be listening again, another test's server, by the time it is dialled). Dispose it to free the port.
    /// </summary>
    public static Socket Refusing(out int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        port = ((IPEndPoint)socket.LocalEndPoint!).Port;
        return socket;
    }

    // The first port of the kernel's ephemeral range (/proc/sys/net/ipv4/ip_local_port_range; Linux's default 32768).
    private static int EphemeralStart()
    {
        try
        {
            var range = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split(['\t', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries);
            if (range.Length > 0 && int.TryParse(range[0], NumberStyles.None, CultureInfo.InvariantCulture, out var start) && start > Lowest + 1_000)
            {
                return start;
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Not Linux, or not readable: the default.
        }

        return 32_768;
    }
}
