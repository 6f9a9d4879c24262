using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using MetricsPipeline.Host.Bench;

namespace MetricsPipeline.Host.Commands;

/// <summary>
/// <c>metrics-pipeline bench http</c>: load-tests the InfluxDB-compatible write endpoint on loopback (batches of
/// 5 000 lines, N connections, into the Kafka producer on the embedded broker) and, in the same run, measures the
/// raw parse rate as a baseline; prints and optionally writes the numbers as JSON (<c>http_lines_per_second</c>,
/// <c>parse_lines_per_second</c>, <c>ratio</c>, <c>latency_p99_ms</c>, ...). Registered in <see cref="BenchCommand"/>.
/// </summary>
internal static class BenchHttpCommand
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>Creates the <c>http</c> subcommand of <c>bench</c>.</summary>
    public static Command Create()
    {
        var batch = new Option<int>("--batch-lines") { Description = "Lines per request.", DefaultValueFactory = _ => 5000 };
        var connections = new Option<int>("--connections") { Description = "Concurrent connections of the load generator.", DefaultValueFactory = _ => 4 };
        var seconds = new Option<double>("--seconds") { Description = "Duration of each phase (parse baseline, HTTP).", DefaultValueFactory = _ => 10 };
        var noKafka = new Option<bool>("--no-kafka") { Description = "Discard accepted lines instead of producing them to the embedded broker." };
        var gzip = new Option<bool>("--gzip") { Description = "Gzip request bodies." };
        var output = new Option<string?>("--json", "--output") { Description = "Also write the result to this JSON file (--output as in the other bench commands)." };
        var command = new Command("http", "Measure the HTTP write endpoint (lines/s, p99 latency) against the raw parse rate.");
        foreach (var option in new Option[] { batch, connections, seconds, noKafka, gzip, output })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parse, ct) =>
        {
            // Said and refused, naming the option: a zero or negative value used to be raised silently to a minimum.
            string? error = parse.GetValue(batch) < 1 ? $"--batch-lines must be at least 1 (got {parse.GetValue(batch)})."
                : parse.GetValue(connections) < 1 ? $"--connections must be at least 1 (got {parse.GetValue(connections)})."
                : !(parse.GetValue(seconds) > 0) || double.IsInfinity(parse.GetValue(seconds)) ? string.Create(CultureInfo.InvariantCulture, $"--seconds must be positive (got {parse.GetValue(seconds)}).")
                : null;
            if (error is not null)
            {
                await Console.Error.WriteLineAsync($"error: {error}");
                return 2;
            }

            if (!BenchOutput.CanWrite(parse.GetValue(output)))
            {
                return 2;
            }

            var options = new HttpBenchOptions
            {
                BatchLines = parse.GetValue(batch),
                Connections = parse.GetValue(connections),
                Duration = TimeSpan.FromSeconds(Math.Max(0.5, parse.GetValue(seconds))),
                Kafka = !parse.GetValue(noKafka),
                Gzip = parse.GetValue(gzip),
            };
            var result = await HttpWriteBenchmark.RunAsync(options, ct).ConfigureAwait(false);
            var json = JsonSerializer.Serialize(result, Json);
            await BenchOutput.PrintAndWriteAsync(json, parse.GetValue(output), ct).ConfigureAwait(false);

            return 0;
        });
        return command;
    }
}
