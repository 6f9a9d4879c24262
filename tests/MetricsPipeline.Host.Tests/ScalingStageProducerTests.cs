using MetricsPipeline.Host.Hosting;
using MetricsPipeline.Host.Stages;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace MetricsPipeline.Host.Tests;

/// <summary>The decision stage's producer (scaling commands, threshold and cost alerts) gets the <c>Kafka:Producer:*</c> settings.</summary>
public sealed class ScalingStageProducerTests
{
    [Fact]
    public async Task WhenKafkaProducerSettingsAreConfiguredThenTheDecisionProducerUsesThem()
    {
        // Before: the stage built its producer from the bootstrap servers alone, so on a broker that needs
        // security.protocol / sasl.* (set under Kafka:Producer, which the anomaly stage and the dead-letter producer
        // honour) commands and cost alerts could not be delivered. An invalid value shows the settings arrive: the
        // producer refuses to build.
        var settings = new PipelineSettings();
        settings.Kafka.Producer["acks"] = "bogus";
        var context = new WindowStageContext(settings, null, "127.0.0.1:1", NullLoggerFactory.Instance, TimeProvider.System);
        ScalingStage? stage = null;
        try
        {
            var e = Record.Exception(() => stage = ScalingStage.Create(context));
            Assert.NotNull(e);
            Assert.Contains("acks", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            if (stage is not null)
            {
                await stage.DisposeAsync();
            }
        }
    }
}
