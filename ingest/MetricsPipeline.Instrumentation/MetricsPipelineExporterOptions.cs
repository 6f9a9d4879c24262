namespace MetricsPipeline.Instrumentation;

/// <summary>Settings of the System.Diagnostics.Metrics → MetricsPipeline exporter (bound from <c>MetricsPipeline:Exporter</c>).</summary>
public sealed class MetricsPipelineExporterOptions
{
    /// <summary>Kafka bootstrap servers. The default is <c>localhost:9092</c>.</summary>
    public string BootstrapServers { get; set; } = "localhost:9092";

    /// <summary>The topic to write line protocol to. The default is <c>metrics</c>.</summary>
    public string Topic { get; set; } = "metrics";

    /// <summary>
    /// The meters to listen to, by exact name or by prefix ending in <c>*</c> (e.g. <c>MyCompany.*</c>). The default
    /// is empty, meaning every meter (including the runtime's <c>System.Runtime</c> and ASP.NET Core's).
    /// </summary>
    public IList<string> Meters { get; } = [];

    /// <summary>Time between exports (observable instruments are read then, histograms reset). The default is 10 s.</summary>
    public TimeSpan ExportInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The most export batches waiting for Kafka; when full the oldest is dropped and counted in
    /// <see cref="ExporterStatistics.BatchesDropped"/> (an app must never block or grow without bound because the
    /// metrics pipeline is down). The default is 60 (10 minutes at the default interval).
    /// </summary>
    public int MaxQueuedBatches { get; set; } = 60;

    /// <summary>
    /// The most distinct (instrument, tag set) series kept; measurements of new series beyond it are dropped and
    /// counted (a cardinality guard for the host app). The default is 10 000.
    /// </summary>
    public int MaxSeries { get; set; } = 10_000;

    /// <summary>Tags added to every line, e.g. <c>service=checkout</c>, <c>host=...</c>. A measurement's own tag wins.</summary>
    public IDictionary<string, string> Tags { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>
    /// Where batches go; <c>null</c> (the default) means Kafka at <see cref="BootstrapServers"/>/<see cref="Topic"/>.
    /// Tests and custom transports set it.
    /// </summary>
    public Func<IMetricsBatchExporter>? ExporterFactory { get; set; }
}
