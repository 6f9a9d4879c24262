using MetricsPipeline.Ingest.LineProtocol;

namespace MetricsPipeline.Host.Observability.Charts;

/// <summary>Reads points from the <c>*.lp</c> files the file output writes (the whole directory, parsed once).</summary>
public sealed class LineProtocolChartData(string directory) : IChartData
{
    private List<Ingest.Model.MetricPoint>? _points;

    /// <inheritdoc />
    public async Task<IReadOnlyList<ChartPoint>> LoadAsync(string measurement, string? window, CancellationToken ct)
    {
        if (_points is null)
        {
            _points = [];
            foreach (var file in Directory.GetFiles(directory, "*.lp", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                _points.AddRange(LineProtocolParser.Parse(await File.ReadAllBytesAsync(file, ct)).Points);
            }
        }

        var result = new List<ChartPoint>();
        foreach (var p in _points)
        {
            if (p.Measurement != measurement || p.TimestampNs is not { } ns)
            {
                continue;
            }

            var tags = p.Tags.ToDictionary(t => t.Key, t => t.Value, StringComparer.Ordinal);
            if (window is not null && (!tags.TryGetValue("window", out var w) || w != window))
            {
                continue;
            }

            var fields = new Dictionary<string, double>(StringComparer.Ordinal);
            foreach (var (key, value) in p.Fields)
            {
                if (value.TryGetNumber(out var number))
                {
                    fields[key] = number;
                }
            }

            result.Add(new ChartPoint(tags, fields, DateTime.UnixEpoch.AddTicks(ns / 100)));
        }

        return result;
    }
}
