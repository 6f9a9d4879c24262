using ScottPlot;

namespace MetricsPipeline.Host.Observability.Charts;

/// <summary>
/// Renders the dashboards' main views as PNG files with ScottPlot, from the same measurements the dashboards query:
/// latency percentiles, request rate, and — when their stages wrote points — the forecast band, anomalies, scaling
/// steps and spend against budget. Each chart is skipped when it has no data.
/// </summary>
public sealed class ChartRenderer(IChartData data, string outputDirectory)
{
    private const int Width = 1200;
    private const int Height = 500;

    /// <summary>Renders every chart that has data; returns the files written.</summary>
    public async Task<IReadOnlyList<string>> RenderAllAsync(CancellationToken ct)
    {
        Directory.CreateDirectory(outputDirectory);
        var written = new List<string>();
        var http = await data.LoadAsync("http_request", "1m", ct);
        var service = await data.LoadAsync("service", "1m", ct);

        Add(written, Render("latency-percentiles.png", "Latency percentiles (ms, 1 min windows, mean over series)", "ms", plot =>
        {
            var any = false;
            foreach (var q in new[] { "p50", "p95", "p99" })
            {
                any |= Lines(plot, ChartSeries.Build(http, $"latency_ms_{q}", null, sum: false), _ => q);
            }

            return any;
        }));
        Add(written, Render("request-rate.png", "Request rate per service (req/s, sum over instances)", "req/s", plot =>
            Lines(plot, ChartSeries.Build(service, "request_rate_mean", "service", sum: true), s => s)));

        var forecast = (await data.LoadAsync("forecast", null, ct)).Where(p => p.Tags.GetValueOrDefault("metric") == "request_rate" && p.Tags.GetValueOrDefault("step") == "1").ToList();
        Add(written, Render("forecast.png", "Request rate: actual vs one-step forecast with band", "req/s", plot =>
        {
            if (forecast.Count == 0)
            {
                return false;
            }

            var svc = forecast[0].Tags.GetValueOrDefault("service");
            var mine = forecast.Where(p => p.Tags.GetValueOrDefault("service") == svc).ToList();
            var value = ChartSeries.Build(mine, "value", null, sum: false)["value"];
            var lower = ChartSeries.Build(mine, "lower", null, sum: false)["lower"];
            var upper = ChartSeries.Build(mine, "upper", null, sum: false)["upper"];
            var band = plot.Add.FillY(lower.X, upper.Y, lower.Y);
            band.LegendText = "forecast band";
            band.FillColor = Colors.Orange.WithAlpha(0.25);
            var line = plot.Add.Scatter(value.X, value.Y);
            line.LegendText = "forecast";
            line.MarkerSize = 0;
            Lines(plot, ChartSeries.Build(service.Where(p => svc is null || p.Tags.GetValueOrDefault("service") == svc), "request_rate_mean", null, sum: true), _ => "actual " + svc);
            return true;
        }));

        var anomalies = await data.LoadAsync("anomaly", null, ct);
        Add(written, Render("anomalies.png", "Request rate with anomalies", "req/s", plot =>
        {
            if (anomalies.Count == 0)
            {
                return false;
            }

            Lines(plot, ChartSeries.Build(service, "request_rate_mean", "service", sum: true), s => s);
            foreach (var a in anomalies)
            {
                var line = plot.Add.VerticalLine(a.Time.ToOADate());
                line.Color = Colors.Red.WithAlpha(0.5);
            }

            return true;
        }));

        var scaling = await data.LoadAsync("scaling", null, ct);
        Add(written, Render("scaling.png", "Instances per service with scaling commands", "instances", plot =>
        {
            var any = false;
            foreach (var (name, (x, y)) in ChartSeries.Build(service, "instances_max", "service", sum: false))
            {
                var steps = plot.Add.Scatter(x, y);
                steps.ConnectStyle = ConnectStyle.StepHorizontal;
                steps.LegendText = name;
                steps.MarkerSize = 0;
                any = true;
            }

            foreach (var (name, (x, y)) in ChartSeries.Build(scaling, "target_instances", "service", sum: false))
            {
                var commands = plot.Add.Markers(x, y);
                commands.LegendText = "command → " + name;
                commands.MarkerShape = MarkerShape.FilledTriangleUp;
                commands.MarkerSize = 9;
            }

            return any && scaling.Count > 0;
        }));

        var cost = await data.LoadAsync("cost", null, ct);
        // The cost stage writes one row per service and one for the whole fleet (scope=total): chart the fleet's rows
        // only, so nothing is counted twice (data without scopes is charted as it is).
        var fleetCost = cost.Any(p => p.Tags.GetValueOrDefault("scope") == "total")
            ? cost.Where(p => p.Tags.GetValueOrDefault("scope") == "total").ToList()
            : cost;
        Add(written, Render("spend-vs-budget.png", "Spend against budget (cumulative)", "cost", plot =>
        {
            var daily = ChartSeries.Build(fleetCost, "daily_cost", null, sum: true);
            if (!daily.TryGetValue("daily_cost", out var spend))
            {
                return false;
            }

            var cumulative = new double[spend.Y.Length];
            for (var i = 0; i < cumulative.Length; i++)
            {
                cumulative[i] = (i == 0 ? 0 : cumulative[i - 1]) + spend.Y[i];
            }

            var line = plot.Add.Scatter(spend.X, cumulative);
            line.LegendText = "spend";
            Lines(plot, ChartSeries.Build(fleetCost, "budget", null, sum: false), _ => "budget");
            return true;
        }));

        return written;
    }

    private static void Add(List<string> written, string? path)
    {
        if (path is not null)
        {
            written.Add(path);
        }
    }

    private static bool Lines(Plot plot, SortedDictionary<string, (double[] X, double[] Y)> series, Func<string, string> label)
    {
        foreach (var (name, (x, y)) in series)
        {
            var line = plot.Add.Scatter(x, y);
            line.LegendText = label(name);
            line.MarkerSize = 0;
            line.LineWidth = 2;
        }

        return series.Count > 0;
    }

    private string? Render(string file, string title, string yLabel, Func<Plot, bool> draw)
    {
        var plot = new Plot();
        if (!draw(plot))
        {
            return null;
        }

        plot.Title(title);
        plot.YLabel(yLabel);
        plot.Axes.DateTimeTicksBottom();
        plot.ShowLegend(Edge.Right);
        var path = Path.Combine(outputDirectory, file);
        plot.SavePng(path, Width, Height);
        return path;
    }
}
