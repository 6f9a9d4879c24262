using MetricsPipeline.Ingest.Model;
using MetricsPipeline.Sinks.Batching;
using Microsoft.Extensions.Logging;

namespace MetricsPipeline.Sinks.InfluxDb;

/// <summary>Builds the InfluxDB sink: a <see cref="BatchingSink{T}"/> over an <see cref="InfluxDbWriter"/>.</summary>
public static class InfluxDbSink
{
    /// <summary>The sink's name, used as the dead letters' <c>Stage</c>: <c>influxdb</c>.</summary>
    public const string Name = "influxdb";

    /// <summary>
    /// Creates the sink. Rejected batches go to <paramref name="deadLetterSink"/> as line protocol with reason
    /// <c>http_&lt;status&gt;</c> and the server's message.
    /// </summary>
    /// <param name="influxDb">Where to write; validated here.</param>
    /// <param name="batching">Batching settings; <c>null</c> uses the defaults.</param>
    /// <param name="deadLetterSink">Receives rejected batches; <c>null</c> only logs and counts them.</param>
    /// <param name="logger">Logger; the default logs nothing.</param>
    /// <param name="timeProvider">Clock and timers; the default is the system clock.</param>
    /// <returns>The sink; dispose it to flush.</returns>
    /// <exception cref="InvalidOperationException">An InfluxDB setting is invalid; the message names it.</exception>
    public static BatchingSink<MetricPoint> Create(
        InfluxDbOptions influxDb,
        BatchingSinkOptions? batching = null,
        IDeadLetterSink? deadLetterSink = null,
        ILogger? logger = null,
        TimeProvider? timeProvider = null)
    {
        var writer = new InfluxDbWriter(influxDb, httpClient: null, logger, timeProvider);
        return new BatchingSink<MetricPoint>(writer, batching, Name, deadLetterSink, InfluxDbWriter.FormatDeadLetter, logger, timeProvider);
    }
}
