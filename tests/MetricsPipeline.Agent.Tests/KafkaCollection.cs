using MetricsPipeline.Testing;
using Xunit;

namespace MetricsPipeline.Agent.Tests;

[CollectionDefinition(Name)]
public sealed class KafkaCollection : ICollectionFixture<KafkaFixture>
{
    public const string Name = "kafka";
}
