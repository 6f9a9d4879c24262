using Xunit;

namespace MetricsPipeline.Testing;

/// <summary>
/// xunit v3 fixture owning one <see cref="InfluxDbServer"/>. When no server can be had, <see cref="Server"/> skips the
/// test — except under <c>CI=true</c>, where it fails it.
/// </summary>
public sealed class InfluxDbFixture : IAsyncLifetime
{
    private InfluxDbServer? _server;
    private Exception? _unavailable;

    public InfluxDbServer Server
    {
        get
        {
            if (_server is not null)
            {
                return _server;
            }

            if (!InfluxDbServer.IsCi && _unavailable is InfluxDbUnavailableException)
            {
                Assert.Skip(_unavailable.Message);
            }

            throw new InvalidOperationException("No InfluxDB server for this test: " + _unavailable?.Message, _unavailable);
        }
    }

    public async ValueTask InitializeAsync()
    {
        try
        {
            _server = await InfluxDbServer.StartAsync(TestContext.Current.CancellationToken);
        }
        catch (Exception ex)
        {
            _unavailable = ex;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
