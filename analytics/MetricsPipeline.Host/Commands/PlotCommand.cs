using System.CommandLine;
using MetricsPipeline.Host.Observability.Charts;

namespace MetricsPipeline.Host.Commands;

/// <summary>
/// <c>metrics-pipeline plot</c>: PNG charts of a run without Grafana, from InfluxDB (<c>--influx-url</c>,
/// <c>--influx-db</c>) or from the line-protocol files of <c>demo --out</c> (<c>--input</c>).
/// </summary>
internal static class PlotCommand
{
    public static Command Create()
    {
        var url = new Option<string?>("--influx-url") { Description = "InfluxDB URL to read from (InfluxQL over /query)." };
        var db = new Option<string?>("--influx-db") { Description = "InfluxQL database (on 2.x: the DBRP-mapped name)." };
        var token = new Option<string?>("--influx-token") { Description = "InfluxDB 2.x token; prefer the INFLUXDB_TOKEN environment variable." };
        var input = new Option<string?>("--input") { Description = "Directory of *.lp files (demo --out) to read instead of InfluxDB." };
        var output = new Option<string>("--output") { Description = "Directory the PNG files are written to.", DefaultValueFactory = _ => "charts" };
        var command = new Command("plot", "Render PNG charts (latency percentiles, request rate, forecast band, anomalies, scaling steps, spend against budget) from InfluxDB or line-protocol files.");
        command.Options.Add(url);
        command.Options.Add(db);
        command.Options.Add(token);
        command.Options.Add(input);
        command.Options.Add(output);
        command.SetAction(async (parse, ct) =>
        {
            var inputDir = parse.GetValue(input);
            var influxUrl = parse.GetValue(url);
            if ((inputDir is null) == (influxUrl is null) || (influxUrl is not null && string.IsNullOrWhiteSpace(parse.GetValue(db))))
            {
                await Console.Error.WriteLineAsync("error: give either --input DIR or --influx-url URL with --influx-db DB.");
                return Program.UsageError;
            }

            try
            {
                // What the user gave, said before any reading: a missing --input was "Could not find a part of the path"
                // with exit 1, an --output that is a file failed after the data was read.
                if (inputDir is not null)
                {
                    CliPaths.RequireDirectory("--input", inputDir);
                }

                if (File.Exists(parse.GetValue(output)))
                {
                    throw new ArgumentException($"--output '{parse.GetValue(output)}' is a file; give a directory.");
                }
            }
            catch (ArgumentException ex)
            {
                await Console.Error.WriteLineAsync($"error: {CliErrorText.Of(ex)}");
                return Program.UsageError;
            }

            using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(2) };
            IChartData data = inputDir is not null
                ? new LineProtocolChartData(inputDir)
                : new InfluxChartData(http, influxUrl!, parse.GetValue(db)!, parse.GetValue(token) ?? Environment.GetEnvironmentVariable("INFLUXDB_TOKEN"));
            try
            {
                var files = await new ChartRenderer(data, parse.GetValue(output)!).RenderAllAsync(ct);
                foreach (var file in files)
                {
                    Console.WriteLine(Path.GetFullPath(file));
                }

                if (files.Count == 0)
                {
                    await Console.Error.WriteLineAsync("error: no data to plot.");
                    return 1;
                }

                return 0;
            }
            catch (Exception ex) when (ex is HttpRequestException or InvalidOperationException or IOException or System.Text.Json.JsonException)
            {
                await Console.Error.WriteLineAsync($"error: {CliErrorText.Of(ex)}");
                return 1;
            }
        });
        return command;
    }
}
