using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace MetricsPipeline.Kafka;

/// <summary>Routes librdkafka's log lines into <see cref="ILogger"/> instead of stderr.</summary>
internal static class KafkaLogging
{
    /// <summary>Logs one librdkafka message at the matching level.</summary>
    public static void Log(ILogger logger, LogMessage message)
    {
        var level = message.Level switch
        {
            SyslogLevel.Emergency or SyslogLevel.Alert or SyslogLevel.Critical or SyslogLevel.Error => LogLevel.Error,
            SyslogLevel.Warning => LogLevel.Warning,
            SyslogLevel.Notice or SyslogLevel.Info => LogLevel.Information,
            _ => LogLevel.Debug,
        };
        if (logger.IsEnabled(level))
        {
            logger.Log(level, "librdkafka {Facility} {Name}: {Message}", message.Facility, message.Name, message.Message);
        }
    }
}
