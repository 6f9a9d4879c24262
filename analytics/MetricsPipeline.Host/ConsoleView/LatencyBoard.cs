using System.Collections.Concurrent;
using MetricsPipeline.Analytics.Windows;

namespace MetricsPipeline.Host.ConsoleView;

/// <summary>
/// Keeps, per service, the latest closed window of one measurement's field (by default the 10 s
/// <c>http_request</c> latency), merged over instances, for the console view. Thread-safe.
/// </summary>
internal sealed class LatencyBoard(string measurement = "http_request", string field = "latency_ms", string window = "10s")
{
    private readonly ConcurrentDictionary<string, Row> _rows = new(StringComparer.Ordinal);

    public sealed record Row(string Service, long WindowStartNs, long Count, double Mean, double P50, double P95, double P99, double Max);

    public void Observe(AggregateBatch batch, IList<double> quantiles)
    {
        var i50 = quantiles.IndexOf(0.5);
        var i95 = quantiles.IndexOf(0.95);
        var i99 = quantiles.IndexOf(0.99);
        foreach (var w in batch.Windows)
        {
            if (w.Measurement != measurement || WindowOptions.FormatSize(w.Size) != window)
            {
                continue;
            }

            var service = w.Tags.FirstOrDefault(t => t.Key == "service").Value ?? "-";
            foreach (var f in w.Fields)
            {
                if (f.Field != field)
                {
                    continue;
                }

                _rows.AddOrUpdate(
                    service,
                    _ => Make(service, w.StartNs, f, i50, i95, i99),
                    (_, old) => old.WindowStartNs < w.StartNs ? Make(service, w.StartNs, f, i50, i95, i99) : Merge(old, f, i50, i95, i99));
            }
        }
    }

    public IReadOnlyList<Row> Rows => _rows.Values.OrderBy(r => r.Service, StringComparer.Ordinal).ToList();

    private static double At(WindowFieldStats f, int index) => index >= 0 ? f.Quantiles[index] : double.NaN;

    private static Row Make(string service, long start, WindowFieldStats f, int i50, int i95, int i99) =>
        new(service, start, f.Count, f.Mean, At(f, i50), At(f, i95), At(f, i99), f.Max);

    // Instances of one service close the same window separately; the view shows the worst instance's tail.
    private static Row Merge(Row old, WindowFieldStats f, int i50, int i95, int i99)
    {
        var count = old.Count + f.Count;
        return old with
        {
            Count = count,
            Mean = ((old.Mean * old.Count) + f.Sum) / count,
            P50 = Math.Max(old.P50, At(f, i50)),
            P95 = Math.Max(old.P95, At(f, i95)),
            P99 = Math.Max(old.P99, At(f, i99)),
            Max = Math.Max(old.Max, f.Max),
        };
    }
}
