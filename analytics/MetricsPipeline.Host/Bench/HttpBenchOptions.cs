namespace MetricsPipeline.Host.Bench;

/// <summary>Settings of <c>metrics-pipeline bench http</c>.</summary>
internal sealed class HttpBenchOptions
{
    /// <summary>Lines per request. The default is 5000 (the batch size; Telegraf's default is 1000).</summary>
    public int BatchLines { get; set; } = 5000;

    /// <summary>Concurrent load-generator connections. The default is 4.</summary>
    public int Connections { get; set; } = 4;

    /// <summary>How long the HTTP phase (and, separately, the parse baseline) runs. The default is 10 s.</summary>
    public TimeSpan Duration { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Whether accepted lines go through the Kafka producer to the embedded broker (true) or are discarded. The default is true.</summary>
    public bool Kafka { get; set; } = true;

    /// <summary>Whether request bodies are gzip-compressed, as Telegraf's <c>content_encoding = "gzip"</c>. The default is false.</summary>
    public bool Gzip { get; set; }
}
