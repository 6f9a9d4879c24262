using System.CommandLine;
using System.Globalization;
using System.Text;
using MetricsPipeline.Fleet;

namespace MetricsPipeline.Host.Commands;

/// <summary>
/// <c>metrics-pipeline fleet-trace</c>: writes one service's simulated-fleet series as a <c>timestamp,value</c> CSV (NAB's
/// format) for <c>backtest</c>, <c>forecast</c> and <c>simulate</c>. Deterministic for a given seed and options.
/// </summary>
internal static class FleetTraceCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var service = new Option<string>("--service") { Description = "The service (api, checkout, search, auth).", Required = true };
        var metric = new Option<string>("--metric") { Description = "requests (request rate summed over instances), cpu (mean over instances) or p95 (latency, all samples).", DefaultValueFactory = _ => "requests" };
        var days = new Option<double>("--days") { Description = "Simulated days.", DefaultValueFactory = _ => 7 };
        var seed = new Option<long>("--seed") { Description = "Fleet random seed.", DefaultValueFactory = _ => 42 };
        var interval = new Option<string>("--interval") { Description = "Simulator interval (e.g. 10s, 1m).", DefaultValueFactory = _ => "1m" };
        var step = new Option<string>("--step") { Description = "Output spacing, a multiple of the interval; each row is the mean (p95: the percentile) over its intervals.", DefaultValueFactory = _ => "1m" };
        var start = new Option<string>("--start") { Description = "First timestamp (UTC, ISO 8601).", DefaultValueFactory = _ => "2026-11-02T00:00:00Z" };
        var output = new Option<string>("--output") { Description = "CSV file to write.", Required = true };
        var command = new Command("fleet-trace", "Write a simulated-fleet service series as a timestamp,value CSV.");
        foreach (var option in new Option[] { service, metric, days, seed, interval, step, start, output })
        {
            command.Options.Add(option);
        }

        command.SetAction(parse =>
        {
            try
            {
                // Any case, as every enum-like option of the program takes its values (it was case-sensitive here only).
                var which = parse.GetValue(metric)!.ToLowerInvariant() switch
                {
                    "requests" => FleetTraceMetric.Requests,
                    "cpu" => FleetTraceMetric.Cpu,
                    "p95" => FleetTraceMetric.P95,
                    var other => throw new ArgumentException($"Unknown metric '{other}'; use requests, cpu or p95."),
                };
                double d = parse.GetValue(days);
                if (!(d > 0 && d <= 366))
                {
                    throw new ArgumentException($"--days must be in (0, 366] (got {d}).");
                }

                if (!DateTimeOffset.TryParse(parse.GetValue(start), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var from))
                {
                    throw new ArgumentException($"--start '{parse.GetValue(start)}' is not a timestamp.");
                }

                CliPaths.RequireWritableFile("--output", parse.GetValue(output)!);
                var options = new FleetOptions { Seed = parse.GetValue(seed), Interval = DurationParser.Parse(parse.GetValue(interval)!) };
                FleetCliOptions.CheckInterval(options.Interval, parse.GetValue(interval)!);
                var rows = FleetTrace.Generate(options, parse.GetValue(service)!, which, from, TimeSpan.FromDays(d), DurationParser.Parse(parse.GetValue(step)!));
                if (rows.Count == 0)
                {
                    // Before, a header without rows was written with exit 0, which every reader of the file then refused.
                    throw new ArgumentException(FormattableString.Invariant(
                        $"--days {d} holds no whole --step {parse.GetValue(step)}: no row to write; give more days or a shorter step."));
                }

                using var writer = new StreamWriter(parse.GetValue(output)!, false, new UTF8Encoding(false));
                writer.WriteLine("timestamp,value");
                foreach (var row in rows)
                {
                    writer.Write(row.Timestamp.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture));
                    writer.Write(',');
                    writer.WriteLine(row.Value.ToString("R", CultureInfo.InvariantCulture));
                }

                Console.Error.WriteLine($"fleet-trace: {rows.Count} rows of {parse.GetValue(service)} {parse.GetValue(metric)} to {parse.GetValue(output)}");
                return 0;
            }
            catch (Exception ex) when (ex is ArgumentException or FormatException or IOException or UnauthorizedAccessException)
            {
                // What the user gave (an option, the output path): a usage error, as for every command.
                Console.Error.WriteLine($"fleet-trace: {CliErrorText.Of(ex)}");
                return Program.UsageError;
            }
        });
        return command;
    }
}
