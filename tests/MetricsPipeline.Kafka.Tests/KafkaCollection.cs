using MetricsPipeline.Testing;
using Xunit;

namespace MetricsPipeline.Kafka.Tests;

/// <summary>All Kafka tests share one server; each test uses its own topics and groups.</summary>
[CollectionDefinition(Name)]
public sealed class KafkaCollection : ICollectionFixture<KafkaFixture>
{
    public const string Name = "kafka";
}
