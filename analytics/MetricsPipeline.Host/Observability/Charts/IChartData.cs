namespace MetricsPipeline.Host.Observability.Charts;

/// <summary>Where the charts read stored points from: InfluxDB or line-protocol files.</summary>
public interface IChartData
{
    /// <summary>Every point of <paramref name="measurement"/>, optionally only those whose tag <c>window</c> equals <paramref name="window"/>.</summary>
    Task<IReadOnlyList<ChartPoint>> LoadAsync(string measurement, string? window, CancellationToken ct);
}
