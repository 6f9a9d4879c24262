using System.Net.Sockets;
using System.Text;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using MetricsPipeline.Kafka;
using MetricsPipeline.Kafka.Native;
using Testcontainers.Kafka;
using Xunit;

namespace MetricsPipeline.Testing;

/// <summary>
/// A Kafka server for tests, usable as a class or collection fixture. Picks, in order: the bootstrap servers in
/// <c>METRICSPIPELINE_TEST_KAFKA</c>; a Testcontainers Kafka when a Docker engine answers; the embedded mock broker.
/// Under <c>CI=true</c> a missing server makes <see cref="InitializeAsync"/> throw (tests fail, never skip);
/// elsewhere <see cref="RequireServer"/> skips the test.
/// </summary>
public sealed class KafkaFixture : IAsyncLifetime
{
    /// <summary>The environment variable naming an existing Kafka (bootstrap servers).</summary>
    public const string EnvironmentVariable = "METRICSPIPELINE_TEST_KAFKA";

    private const string KafkaImage = "confluentinc/cp-kafka:7.6.1";

    private EmbeddedKafkaBroker? embedded;
    private KafkaContainer? container;
    private string? unavailableReason;

    /// <summary>The bootstrap servers of the chosen server.</summary>
    public string BootstrapServers { get; private set; } = string.Empty;

    /// <summary>Which kind of server was chosen.</summary>
    public KafkaFixtureKind Kind { get; private set; }

    /// <summary>The embedded broker when <see cref="Kind"/> is <see cref="KafkaFixtureKind.Embedded"/>.</summary>
    public EmbeddedKafkaBroker? Embedded => embedded;

    /// <summary>True under <c>CI=true</c>.</summary>
    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <inheritdoc />
    public async ValueTask InitializeAsync()
    {
        var failures = new StringBuilder();
        var fromEnvironment = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            BootstrapServers = fromEnvironment.Trim();
            Kind = KafkaFixtureKind.Environment;
            LibrdkafkaLoader.EnsureLoaded();
            return;
        }

        if (await DockerAnswersAsync().ConfigureAwait(false))
        {
            try
            {
                container = new KafkaBuilder(KafkaImage).Build();
                await container.StartAsync().ConfigureAwait(false);
                BootstrapServers = container.GetBootstrapAddress();
                Kind = KafkaFixtureKind.Testcontainers;
                LibrdkafkaLoader.EnsureLoaded();
                return;
            }
#pragma warning disable CA1031 // Any container failure falls through to the embedded broker.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                failures.AppendLine("Testcontainers: " + ex.Message);
                container = null;
            }
        }

        try
        {
            embedded = EmbeddedKafkaBroker.Start(new EmbeddedKafkaBrokerOptions());
            BootstrapServers = embedded.BootstrapServers;
            Kind = KafkaFixtureKind.Embedded;
            return;
        }
#pragma warning disable CA1031
        catch (Exception ex)
#pragma warning restore CA1031
        {
            failures.AppendLine("Embedded broker: " + ex.Message);
        }

        unavailableReason = "No Kafka server available. " + failures;
        Kind = KafkaFixtureKind.None;
        if (IsCi)
        {
            throw new InvalidOperationException(unavailableReason);
        }
    }

    /// <summary>
    /// Adds consumer settings suited to the chosen server. The mock broker waits <c>session.timeout.ms - 1 s</c> for the
    /// members of a group to rejoin on every rebalance (librdkafka's default session timeout is 45 s), so against it
    /// the session timeout is cut to 3 s; real Kafka keeps its defaults (its minimum session timeout is 6 s).
    /// </summary>
    public void ApplyConsumerSettings(IDictionary<string, string> settings)
    {
        if (Kind == KafkaFixtureKind.Embedded)
        {
            ApplyEmbeddedConsumerSettings(settings);
        }
    }

    /// <summary>The consumer settings for the embedded broker described on <see cref="ApplyConsumerSettings"/>.</summary>
    public static void ApplyEmbeddedConsumerSettings(IDictionary<string, string> settings)
    {
        settings["session.timeout.ms"] = "3000";
        settings["heartbeat.interval.ms"] = "500";
    }

    /// <summary>Skips the calling test when no server is available (outside CI; under CI initialization already failed).</summary>
    public void RequireServer()
    {
        if (Kind == KafkaFixtureKind.None)
        {
            Assert.Skip(unavailableReason ?? "No Kafka server available.");
        }
    }

    /// <summary>
    /// Creates a topic with <paramref name="partitions"/> partitions (replication factor 1); an existing topic is not
    /// an error. Real Kafka gets an Admin API CreateTopics request; the mock broker does not implement that API
    /// ("Topic Admin API not supported"), so the embedded broker creates it directly. Waits until the metadata lists
    /// every partition with a leader.
    /// </summary>
    public async Task CreateTopicAsync(string name, int partitions)
    {
        RequireServer();
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = BootstrapServers }).Build();
        if (embedded is not null)
        {
            embedded.CreateTopic(name, partitions);
        }
        else
        {
            await CreateWithAdminAsync(admin, name, partitions).ConfigureAwait(false);
        }

        await WaitForTopicAsync(admin, name, partitions).ConfigureAwait(false);
    }

    private static async Task CreateWithAdminAsync(IAdminClient admin, string name, int partitions)
    {
        try
        {
            await admin.CreateTopicsAsync(
                [new TopicSpecification { Name = name, NumPartitions = partitions, ReplicationFactor = 1 }],
                new CreateTopicsOptions { RequestTimeout = TimeSpan.FromSeconds(10), OperationTimeout = TimeSpan.FromSeconds(10) }).ConfigureAwait(false);
        }
        catch (CreateTopicsException ex) when (ex.Results.All(r => r.Error.Code is ErrorCode.NoError or ErrorCode.TopicAlreadyExists))
        {
            // Already there.
        }
    }

    private static async Task WaitForTopicAsync(IAdminClient admin, string name, int partitions)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        KafkaException? lastError = null;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                var topic = admin.GetMetadata(name, TimeSpan.FromSeconds(2)).Topics.FirstOrDefault(t => t.Topic == name);
                if (topic is { Error.IsError: false } && topic.Partitions.Count == partitions && topic.Partitions.All(p => p.Leader >= 0))
                {
                    return;
                }
            }
            catch (KafkaException ex)
            {
                // One metadata request that misses its 2 s (a fresh client's first connection on a loaded machine) is
                // asked again until the deadline, like a topic that is not there yet; it threw out of the wait before.
                lastError = ex;
            }

            await Task.Delay(50).ConfigureAwait(false);
        }

        throw new InvalidOperationException($"Topic '{name}' did not appear with {partitions} partitions{(lastError is null ? "." : ": " + lastError.Message)}");
    }

    /// <summary>Synchronous form of <see cref="CreateTopicAsync"/>.</summary>
    public void CreateTopic(string name, int partitions) => CreateTopicAsync(name, partitions).GetAwaiter().GetResult();

    /// <summary>A topic or group name unique to this run, so tests sharing a server do not see each other's data.</summary>
    public static string UniqueName(string prefix) => $"{prefix}-{Guid.NewGuid():N}";

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        embedded?.Dispose();
        if (container is not null)
        {
            await container.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static async Task<bool> DockerAnswersAsync()
    {
        var dockerHost = Environment.GetEnvironmentVariable("DOCKER_HOST");
        if (!string.IsNullOrEmpty(dockerHost))
        {
            // Testcontainers knows how to reach a configured engine; let it try (failures fall through).
            return true;
        }

        const string socketPath = "/var/run/docker.sock";
        if (!File.Exists(socketPath))
        {
            return false;
        }

        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), timeout.Token).ConfigureAwait(false);
            await socket.SendAsync("GET /_ping HTTP/1.0\r\nHost: docker\r\n\r\n"u8.ToArray(), SocketFlags.None, timeout.Token).ConfigureAwait(false);
            var buffer = new byte[64];
            var read = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token).ConfigureAwait(false);
            return Encoding.ASCII.GetString(buffer, 0, read).StartsWith("HTTP/1.", StringComparison.Ordinal);
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException or IOException)
        {
            return false;
        }
    }
}
