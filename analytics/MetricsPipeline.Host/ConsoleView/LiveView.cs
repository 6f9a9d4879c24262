using Spectre.Console;

namespace MetricsPipeline.Host.ConsoleView;

/// <summary>
/// The live console view of a running pipeline: a Spectre.Console table refreshed every second on a terminal,
/// or one plain progress line every few seconds when output is redirected (logs, CI).
/// </summary>
internal static class LiveView
{
    public static async Task RunAsync(Func<PipelineSnapshot> snapshot, CancellationToken stop)
    {
        var interactive = !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;
        if (!interactive)
        {
            await RunPlainAsync(snapshot, stop);
            return;
        }

        var previous = snapshot();
        var table = Render(previous, previous, TimeSpan.FromSeconds(1));
        await AnsiConsole.Live(table).AutoClear(false).StartAsync(async ctx =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), stop);
                }
                catch (OperationCanceledException)
                {
                }

                var now = snapshot();
                ctx.UpdateTarget(Render(now, previous, now.Elapsed - previous.Elapsed));
                previous = now;
            }
        });
    }

    private static async Task RunPlainAsync(Func<PipelineSnapshot> snapshot, CancellationToken stop)
    {
        var previous = snapshot();
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(5), stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            var now = snapshot();
            var seconds = Math.Max((now.Elapsed - previous.Elapsed).TotalSeconds, 1e-9);
            Console.WriteLine(
                $"[{now.Elapsed:hh\\:mm\\:ss}] {now.Phase,-8} event {now.EventTime:yyyy-MM-dd HH:mm:ss} | produced {now.PointsProduced:N0} " +
                $"({(now.PointsProduced - previous.PointsProduced) / seconds:N0}/s) | consumed {now.PointsConsumed:N0} " +
                $"({(now.PointsConsumed - previous.PointsConsumed) / seconds:N0}/s) | windows {now.WindowsClosed:N0} | " +
                $"written {string.Join(' ', now.Sinks.Select(s => $"{s.Name}={s.Written:N0}"))} | errors {now.ParseErrors} late {now.LatePoints} gaps {now.OffsetGaps}");
            previous = now;
        }
    }

    private static Table Render(PipelineSnapshot now, PipelineSnapshot before, TimeSpan span)
    {
        var seconds = Math.Max(span.TotalSeconds, 1e-9);
        var root = new Table().Border(TableBorder.Rounded).Title($"[bold]metrics-pipeline demo[/] — {now.Phase}, event time {now.EventTime:yyyy-MM-dd HH:mm:ss}, running {now.Elapsed:hh\\:mm\\:ss}");
        root.AddColumn("Throughput").AddColumn("Errors and losses");

        var flow = new Table().Border(TableBorder.None).AddColumn("").AddColumn(new TableColumn("total").RightAligned()).AddColumn(new TableColumn("per s").RightAligned());
        flow.AddRow("points produced", $"{now.PointsProduced:N0}", $"{(now.PointsProduced - before.PointsProduced) / seconds:N0}");
        flow.AddRow("points consumed", $"{now.PointsConsumed:N0}", $"{(now.PointsConsumed - before.PointsConsumed) / seconds:N0}");
        flow.AddRow("values aggregated", $"{now.ValuesAggregated:N0}", $"{(now.ValuesAggregated - before.ValuesAggregated) / seconds:N0}");
        flow.AddRow("windows closed", $"{now.WindowsClosed:N0}", $"{(now.WindowsClosed - before.WindowsClosed) / seconds:N0}");
        foreach (var sink in now.Sinks)
        {
            var old = before.Sinks.FirstOrDefault(s => s.Name == sink.Name);
            flow.AddRow($"written to {sink.Name}", $"{sink.Written:N0}", $"{(sink.Written - old.Written) / seconds:N0}");
        }

        flow.AddRow("series", $"{now.Series:N0}", "");

        var errors = new Table().Border(TableBorder.None).AddColumn("").AddColumn(new TableColumn("count").RightAligned());
        errors.AddRow("parse errors", $"{now.ParseErrors:N0}");
        errors.AddRow("dead letters", $"{now.DeadLetters:N0}");
        errors.AddRow("late points", $"{now.LatePoints:N0}");
        errors.AddRow("Kafka offset gaps", $"{now.OffsetGaps:N0}");
        errors.AddRow("series rejected", $"{now.SeriesRejected:N0}");
        foreach (var sink in now.Sinks)
        {
            errors.AddRow($"{sink.Name} retries / buffered", $"{sink.Retries:N0} / {sink.Buffered:N0}");
        }

        root.AddRow(flow, errors);

        var latency = new Table().Border(TableBorder.Simple).Title("latest 10 s window of http_request latency_ms (worst instance)");
        latency.AddColumn("service").AddColumn(new TableColumn("samples").RightAligned()).AddColumn(new TableColumn("mean").RightAligned())
            .AddColumn(new TableColumn("p50").RightAligned()).AddColumn(new TableColumn("p95").RightAligned()).AddColumn(new TableColumn("p99").RightAligned()).AddColumn(new TableColumn("max").RightAligned());
        foreach (var row in now.Latency)
        {
            latency.AddRow(row.Service, $"{row.Count:N0}", $"{row.Mean:F1}", $"{row.P50:F1}", $"{row.P95:F1}", $"{row.P99:F1}", $"{row.Max:F1}");
        }

        var outer = new Table().Border(TableBorder.None).AddColumn("");
        outer.AddRow(root);
        outer.AddRow(latency);
        return outer;
    }
}
