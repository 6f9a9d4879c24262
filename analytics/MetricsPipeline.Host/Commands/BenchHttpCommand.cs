using System.CommandLine;
using System.Text.Json;
using MetricsPipeline.Host.Bench;

namespace MetricsPipeline.Host.Commands;

/// <summary>
/// <c>metrics-pipeline bench-http</c>: load-tests the InfluxDB-compatible write endpoint on loopback (batches of
/// 5 000 lines, N connections, into the Kafka producer on the embedded broker) and, in the same run, measures the
/// raw parse rate as a baseline; prints and optionally writes the numbers as JSON. <see cref="Create(string)"/>
/// with <c>"http"</c> gives the same command for a <c>bench</c> parent.
/// </summary>
internal static class BenchHttpCommand
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>Creates the top-level <c>bench-http</c> command.</summary>
    public static Command Create() => Create("bench-http");

    /// <summary>Creates the command under <paramref name="name"/>.</summary>
    public static Command Create(string name)
    {
        var batch = new Option<int>("--batch-lines") { Description = "Lines per request.", DefaultValueFactory = _ => 5000 };
        var connections = new Option<int>("--connections") { Description = "Concurrent connections of the load generator.", DefaultValueFactory = _ => 4 };
        var seconds = new Option<double>("--seconds") { Description = "Duration of each phase (parse baseline, HTTP).", DefaultValueFactory = _ => 10 };
        var noKafka = new Option<bool>("--no-kafka") { Description = "Discard accepted lines instead of producing them to the embedded broker." };
        var gzip = new Option<bool>("--gzip") { Description = "Gzip request bodies." };
        var output = new Option<string?>("--json") { Description = "Also write the result to this JSON file." };
        var command = new Command(name, "Measure the HTTP write endpoint (lines/s, p99 latency) against the raw parse rate.");
        foreach (var option in new Option[] { batch, connections, seconds, noKafka, gzip, output })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parse, ct) =>
        {
            var options = new HttpBenchOptions
            {
                BatchLines = Math.Max(1, parse.GetValue(batch)),
                Connections = Math.Max(1, parse.GetValue(connections)),
                Duration = TimeSpan.FromSeconds(Math.Max(0.5, parse.GetValue(seconds))),
                Kafka = !parse.GetValue(noKafka),
                Gzip = parse.GetValue(gzip),
            };
            var result = await HttpWriteBenchmark.RunAsync(options, ct).ConfigureAwait(false);
            var json = JsonSerializer.Serialize(result, Json);
            Console.WriteLine(json);
            var path = parse.GetValue(output);
            if (!string.IsNullOrEmpty(path))
            {
                await File.WriteAllTextAsync(path, json, ct).ConfigureAwait(false);
            }

            return 0;
        });
        return command;
    }
}
