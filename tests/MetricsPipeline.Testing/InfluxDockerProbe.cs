using System.Net;
using System.Net.Sockets;
using System.Text;

namespace MetricsPipeline.Testing;

/// <summary>Answers "does a Docker engine respond?" within about a second, never hanging.</summary>
public static class InfluxDockerProbe
{
    public static async Task<bool> IsDockerAvailableAsync(CancellationToken ct = default)
    {
        var host = Environment.GetEnvironmentVariable("DOCKER_HOST");
        EndPoint? endpoint = null;
        if (string.IsNullOrEmpty(host))
        {
            const string socket = "/var/run/docker.sock";
            if (File.Exists(socket))
            {
                endpoint = new UnixDomainSocketEndPoint(socket);
            }
        }
        else if (host.StartsWith("unix://", StringComparison.Ordinal))
        {
            endpoint = new UnixDomainSocketEndPoint(host["unix://".Length..]);
        }
        else if (Uri.TryCreate(host.Replace("tcp://", "http://", StringComparison.Ordinal), UriKind.Absolute, out var uri))
        {
            endpoint = new DnsEndPoint(uri.Host, uri.Port);
        }

        if (endpoint is null)
        {
            return false;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(2));
        try
        {
            var protocol = endpoint is UnixDomainSocketEndPoint ? ProtocolType.Unspecified : ProtocolType.Tcp;
            var family = endpoint is UnixDomainSocketEndPoint ? AddressFamily.Unix : AddressFamily.Unspecified;
            using var client = family == AddressFamily.Unix ? new Socket(family, SocketType.Stream, protocol) : new Socket(SocketType.Stream, protocol);
            await client.ConnectAsync(endpoint, timeout.Token);
            await client.SendAsync(Encoding.ASCII.GetBytes("GET /_ping HTTP/1.0\r\nHost: docker\r\n\r\n"), SocketFlags.None, timeout.Token);
            var buffer = new byte[64];
            var read = await client.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
            var status = Encoding.ASCII.GetString(buffer, 0, read);
            return status.StartsWith("HTTP/1.", StringComparison.Ordinal) && status.Contains(" 200", StringComparison.Ordinal);
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException or IOException)
        {
            return false;
        }
    }
}
