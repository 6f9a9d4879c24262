using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using MetricsPipeline.Kafka.Native;

namespace MetricsPipeline.Kafka;

/// <summary>
/// An in-process Kafka-protocol broker: librdkafka's mock cluster, listening on loopback TCP ports. Any Kafka client
/// on the machine (Confluent.Kafka, kcat, ...) can produce, consume and join consumer groups through
/// <see cref="BootstrapServers"/>.
/// </summary>
/// <remarks>
/// Limits of the mock, stated so nobody mistakes it for a production broker: data lives in memory only, and each
/// partition keeps only about the newest 5 MB; older records are dropped silently (consumers see an offset gap, which
/// <see cref="KafkaSource"/> counts). Create topics with enough partitions. It does not deduplicate an idempotent
/// producer's retries (librdkafka 2.16.0): a produce request it appended whose response never reached the producer
/// (the broker went down, <see cref="SetBrokerDown"/>) is appended again when the producer resends it with the same
/// producer id, epoch and sequence, so the batch is in the partition twice, the copy right after the original. A Kafka
/// broker drops such a retry. The instance is thread-safe.
/// </remarks>
public sealed class EmbeddedKafkaBroker : IDisposable
{
    private readonly Lock gate = new();
    private readonly int defaultPartitions;
    private readonly Dictionary<int, List<Socket>> portGuards = [];
    private IntPtr kafkaHandle;
    private IntPtr mockCluster;
    private int brokerCount;

    private EmbeddedKafkaBroker(IntPtr kafkaHandle, IntPtr mockCluster, string bootstrapServers, int defaultPartitions)
    {
        this.kafkaHandle = kafkaHandle;
        this.mockCluster = mockCluster;
        this.defaultPartitions = defaultPartitions;
        BootstrapServers = bootstrapServers;
    }

    /// <summary>The comma-separated <c>host:port</c> list of the mock brokers (loopback addresses).</summary>
    public string BootstrapServers { get; }

    /// <summary>Starts a mock cluster with the given options and creates <see cref="EmbeddedKafkaBrokerOptions.Topics"/>.</summary>
    /// <exception cref="InvalidOperationException">librdkafka could not create the handle or the mock cluster.</exception>
    public static EmbeddedKafkaBroker Start(EmbeddedKafkaBrokerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Brokers, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.DefaultPartitions, 1);
        LibrdkafkaLoader.EnsureLoaded();

        var errors = new byte[512];
        var conf = LibrdkafkaNative.ConfNew();

        // The hosting handle only carries the mock cluster; keep its own logging quiet (errors only).
        _ = LibrdkafkaNative.ConfSet(conf, "log_level", "3", errors, (nuint)errors.Length);
        var rk = LibrdkafkaNative.KafkaNew(LibrdkafkaNative.ProducerType, conf, errors, (nuint)errors.Length);
        if (rk == IntPtr.Zero)
        {
            // rd_kafka_new only takes ownership of conf on success.
            LibrdkafkaNative.ConfDestroy(conf);
            throw new InvalidOperationException("rd_kafka_new failed: " + ReadError(errors));
        }

        var cluster = LibrdkafkaNative.MockClusterNew(rk, options.Brokers);
        if (cluster == IntPtr.Zero)
        {
            LibrdkafkaNative.KafkaDestroy(rk);
            throw new InvalidOperationException("rd_kafka_mock_cluster_new failed.");
        }

        LibrdkafkaNative.MockGroupInitialRebalanceDelayMs(cluster, options.GroupInitialRebalanceDelayMs);

        // Metadata must name a controller, or admin clients wait for one forever (CreateTopics needs it).
        _ = LibrdkafkaNative.MockSetControllerId(cluster, 1);
        var bootstraps = Marshal.PtrToStringUTF8(LibrdkafkaNative.MockClusterBootstraps(cluster)) ?? string.Empty;
        var broker = new EmbeddedKafkaBroker(rk, cluster, bootstraps, options.DefaultPartitions);
        broker.brokerCount = options.Brokers;
        foreach (var topic in options.Topics)
        {
            broker.CreateTopic(topic);
        }

        return broker;
    }

    /// <summary>Creates a topic with <see cref="EmbeddedKafkaBrokerOptions.DefaultPartitions"/> partitions.</summary>
    public void CreateTopic(string name) => CreateTopic(name, defaultPartitions);

    /// <summary>
    /// Creates a topic with <paramref name="partitions"/> partitions (replication factor 1). Creating an existing
    /// topic again is not an error and leaves it unchanged.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The broker was disposed.</exception>
    /// <exception cref="InvalidOperationException">The mock refused the topic.</exception>
    public void CreateTopic(string name, int partitions)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentOutOfRangeException.ThrowIfLessThan(partitions, 1);
        lock (gate)
        {
            ObjectDisposedException.ThrowIf(mockCluster == IntPtr.Zero, this);
            var error = LibrdkafkaNative.MockTopicCreate(mockCluster, name, partitions, 1);

            // 36 is TOPIC_ALREADY_EXISTS.
            if (error != 0 && error != 36)
            {
                throw new InvalidOperationException($"Creating topic '{name}' failed with librdkafka error {error}.");
            }
        }
    }

    /// <summary>The number of mock brokers; their ids are 1 to this number.</summary>
    public int BrokerCount => brokerCount;

    /// <summary>
    /// Takes mock broker <paramref name="brokerId"/> down: its client connections are closed and new ones are refused
    /// until <see cref="SetBrokerUp"/>. The data stays (unlike a restart of the mock, which loses it), so this is how
    /// tests make the broker unreachable for a while.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The broker was disposed.</exception>
    /// <exception cref="ArgumentOutOfRangeException">No mock broker has that id.</exception>
    /// <exception cref="InvalidOperationException">librdkafka refused the change.</exception>
    public void SetBrokerDown(int brokerId) => SetBrokerState(brokerId, up: false);

    /// <summary>Brings mock broker <paramref name="brokerId"/> back after <see cref="SetBrokerDown"/>; clients reconnect on their own.</summary>
    /// <exception cref="ObjectDisposedException">The broker was disposed.</exception>
    /// <exception cref="ArgumentOutOfRangeException">No mock broker has that id.</exception>
    /// <exception cref="InvalidOperationException">librdkafka refused the change.</exception>
    public void SetBrokerUp(int brokerId) => SetBrokerState(brokerId, up: true);

    /// <summary>
    /// Delays every response of mock broker <paramref name="brokerId"/> by <paramref name="roundTrip"/> (whole
    /// milliseconds; <see cref="TimeSpan.Zero"/>, the default, for none). The broker still handles each request when it
    /// arrives (a produce is appended at once) and only holds the response back, so a test can take the broker down while
    /// requests it already applied are unacknowledged, as a network failure between a broker and its clients would.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The broker was disposed.</exception>
    /// <exception cref="ArgumentOutOfRangeException">No mock broker has that id, or the delay is negative or too long.</exception>
    /// <exception cref="InvalidOperationException">librdkafka refused the change.</exception>
    public void SetResponseDelay(int brokerId, TimeSpan roundTrip)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(brokerId, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(brokerId, brokerCount);
        ArgumentOutOfRangeException.ThrowIfLessThan(roundTrip, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(roundTrip, TimeSpan.FromMilliseconds(int.MaxValue));
        lock (gate)
        {
            ObjectDisposedException.ThrowIf(mockCluster == IntPtr.Zero, this);
            var error = EmbeddedKafkaBrokerNative.MockBrokerSetRtt(mockCluster, brokerId, (int)roundTrip.TotalMilliseconds);
            if (error != 0)
            {
                throw new InvalidOperationException($"Setting the response delay of mock broker {brokerId} failed with librdkafka error {error}.");
            }
        }
    }

    private void SetBrokerState(int brokerId, bool up)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(brokerId, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(brokerId, brokerCount);
        lock (gate)
        {
            ObjectDisposedException.ThrowIf(mockCluster == IntPtr.Zero, this);
            if (up)
            {
                ReleasePortGuards(brokerId);
            }

            var error = up
                ? EmbeddedKafkaBrokerNative.MockBrokerSetUp(mockCluster, brokerId)
                : EmbeddedKafkaBrokerNative.MockBrokerSetDown(mockCluster, brokerId);
            if (error != 0)
            {
                throw new InvalidOperationException($"Setting mock broker {brokerId} {(up ? "up" : "down")} failed with librdkafka error {error}.");
            }

            if (!up)
            {
                GuardClosedPorts(brokerId);
            }
        }
    }

    /// <summary>
    /// A broker that is down has closed its listening socket, and bringing it up binds the same port again; librdkafka
    /// aborts the process when that bind fails. The port is an ephemeral one, so while it is free any outgoing
    /// connection on the machine can be given it as its local port — including a client reconnecting to the down broker
    /// itself, which on loopback then connects to itself. Holding the port bound (not listening: connections are still
    /// refused, as from a stopped broker) keeps the kernel from handing it out until the broker comes back.
    /// </summary>
    private void GuardClosedPorts(int brokerId)
    {
        var guarded = portGuards.Values.SelectMany(g => g).Select(g => ((IPEndPoint)g.LocalEndPoint!).Port).ToHashSet();
        var guards = new List<Socket>();
        foreach (var address in BootstrapServers.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var colon = address.LastIndexOf(':');
            if (colon < 0 || !int.TryParse(address.AsSpan(colon + 1), out var port) || guarded.Contains(port))
            {
                continue;
            }

            // Only the ports whose listener is closed can be bound: the brokers still up refuse (address in use).
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
                socket.Bind(new IPEndPoint(IPAddress.Loopback, port));
                guards.Add(socket);
            }
            catch (SocketException)
            {
                socket.Dispose();
            }
        }

        portGuards[brokerId] = guards;
    }

    private void ReleasePortGuards(int brokerId)
    {
        if (portGuards.Remove(brokerId, out var guards))
        {
            foreach (var guard in guards)
            {
                guard.Dispose();
            }
        }
    }

    /// <summary>Stops the brokers and frees the native resources. Idempotent; never throws.</summary>
    public void Dispose()
    {
        lock (gate)
        {
            foreach (var brokerId in portGuards.Keys.ToList())
            {
                ReleasePortGuards(brokerId);
            }

            if (mockCluster != IntPtr.Zero)
            {
                LibrdkafkaNative.MockClusterDestroy(mockCluster);
                mockCluster = IntPtr.Zero;
            }

            if (kafkaHandle != IntPtr.Zero)
            {
                LibrdkafkaNative.KafkaDestroy(kafkaHandle);
                kafkaHandle = IntPtr.Zero;
            }
        }
    }

    private static string ReadError(byte[] errors)
    {
        var length = Array.IndexOf(errors, (byte)0);
        return Encoding.UTF8.GetString(errors, 0, length < 0 ? errors.Length : length);
    }
}
