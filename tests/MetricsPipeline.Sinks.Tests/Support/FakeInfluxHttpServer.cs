using System.Collections.Concurrent;
using System.IO.Compression;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace MetricsPipeline.Sinks.Tests.Support;

/// <summary>A loopback HTTP server that records requests and answers with scripted responses (default 204).</summary>
internal sealed class FakeInfluxHttpServer : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentQueue<FakeResponse> _responses = new();
    private readonly Task _loop;

    public FakeInfluxHttpServer()
    {
        for (var attempt = 0; ; attempt++)
        {
            Port = FreePort();
            _listener.Prefixes.Clear();
            _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
            try
            {
                _listener.Start();
                break;
            }
            catch (HttpListenerException) when (attempt < 5)
            {
                // Another process took the port between probing and binding; try another.
            }
        }

        _loop = Task.Run(ServeAsync);
    }

    public int Port { get; }

    public string Url => $"http://127.0.0.1:{Port}";

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    public FakeInfluxHttpServer Respond(int status, string body = "", params (string Name, string Value)[] headers)
    {
        _responses.Enqueue(new FakeResponse(status, body, headers));
        return this;
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        try
        {
            await _loop;
        }
        catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException)
        {
        }
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            using var raw = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(raw);
            var bytes = raw.ToArray();
            var encoding = context.Request.Headers["Content-Encoding"];
            var body = encoding == "gzip" ? Gunzip(bytes) : bytes;
            Requests.Enqueue(new RecordedRequest(
                context.Request.HttpMethod,
                context.Request.Url!.PathAndQuery,
                context.Request.Headers["Authorization"],
                encoding,
                context.Request.ContentType,
                Encoding.UTF8.GetString(body)));

            var response = _responses.TryDequeue(out var next) ? next : new FakeResponse(204, string.Empty, []);
            context.Response.StatusCode = response.Status;
            foreach (var (name, value) in response.Headers)
            {
                context.Response.Headers[name] = value;
            }

            var payload = Encoding.UTF8.GetBytes(response.Body);
            if (payload.Length > 0)
            {
                context.Response.ContentType = "application/json";
                await context.Response.OutputStream.WriteAsync(payload);
            }

            context.Response.Close();
        }
    }

    private static byte[] Gunzip(byte[] bytes)
    {
        using var input = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress);
        using var output = new MemoryStream();
        input.CopyTo(output);
        return output.ToArray();
    }

    private sealed record FakeResponse(int Status, string Body, (string Name, string Value)[] Headers);
}

internal sealed record RecordedRequest(string Method, string PathAndQuery, string? Authorization, string? ContentEncoding, string? ContentType, string Body);
