using System.Runtime.InteropServices;

namespace MetricsPipeline.Kafka.Native;

/// <summary>
/// The few librdkafka C functions Confluent.Kafka does not wrap: the built-in mock cluster.
/// Call <see cref="LibrdkafkaLoader.EnsureLoaded"/> before any of these.
/// </summary>
internal static partial class LibrdkafkaNative
{
    /// <summary>The library name the resolver maps to the loaded file.</summary>
    public const string LibraryName = "librdkafka";

    /// <summary><c>RD_KAFKA_PRODUCER</c>: the handle type hosting the mock cluster.</summary>
    public const int ProducerType = 0;

    [LibraryImport(LibraryName, EntryPoint = "rd_kafka_conf_new")]
    public static partial IntPtr ConfNew();

    [LibraryImport(LibraryName, EntryPoint = "rd_kafka_conf_set", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int ConfSet(IntPtr conf, string name, string value, byte[] errstr, nuint errstrSize);

    [LibraryImport(LibraryName, EntryPoint = "rd_kafka_conf_destroy")]
    public static partial void ConfDestroy(IntPtr conf);

    [LibraryImport(LibraryName, EntryPoint = "rd_kafka_new")]
    public static partial IntPtr KafkaNew(int type, IntPtr conf, byte[] errstr, nuint errstrSize);

    [LibraryImport(LibraryName, EntryPoint = "rd_kafka_destroy")]
    public static partial void KafkaDestroy(IntPtr rk);

    [LibraryImport(LibraryName, EntryPoint = "rd_kafka_mock_cluster_new")]
    public static partial IntPtr MockClusterNew(IntPtr rk, int brokerCount);

    [LibraryImport(LibraryName, EntryPoint = "rd_kafka_mock_cluster_bootstraps")]
    public static partial IntPtr MockClusterBootstraps(IntPtr mockCluster);

    [LibraryImport(LibraryName, EntryPoint = "rd_kafka_mock_cluster_destroy")]
    public static partial void MockClusterDestroy(IntPtr mockCluster);

    [LibraryImport(LibraryName, EntryPoint = "rd_kafka_mock_topic_create", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int MockTopicCreate(IntPtr mockCluster, string topic, int partitionCount, int replicationFactor);

    [LibraryImport(LibraryName, EntryPoint = "rd_kafka_mock_group_initial_rebalance_delay_ms")]
    public static partial void MockGroupInitialRebalanceDelayMs(IntPtr mockCluster, int delayMs);

    [LibraryImport(LibraryName, EntryPoint = "rd_kafka_mock_set_controller_id")]
    public static partial int MockSetControllerId(IntPtr mockCluster, int brokerId);
}
