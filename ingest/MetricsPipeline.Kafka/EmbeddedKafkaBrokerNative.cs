using System.Runtime.InteropServices;
using MetricsPipeline.Kafka.Native;

namespace MetricsPipeline.Kafka;

/// <summary>
/// The mock cluster's fault-injection functions (<c>rd_kafka_mock_broker_set_down</c> / <c>_set_up</c> / <c>_set_rtt</c>), kept beside
/// <see cref="EmbeddedKafkaBroker"/> because only it uses them. Call <see cref="LibrdkafkaLoader.EnsureLoaded"/> first.
/// </summary>
internal static partial class EmbeddedKafkaBrokerNative
{
    [LibraryImport(LibrdkafkaNative.LibraryName, EntryPoint = "rd_kafka_mock_broker_set_down")]
    public static partial int MockBrokerSetDown(IntPtr mockCluster, int brokerId);

    [LibraryImport(LibrdkafkaNative.LibraryName, EntryPoint = "rd_kafka_mock_broker_set_up")]
    public static partial int MockBrokerSetUp(IntPtr mockCluster, int brokerId);

    [LibraryImport(LibrdkafkaNative.LibraryName, EntryPoint = "rd_kafka_mock_broker_set_rtt")]
    public static partial int MockBrokerSetRtt(IntPtr mockCluster, int brokerId, int rttMs);
}
