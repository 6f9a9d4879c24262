using System.CommandLine;
using System.Globalization;
using System.Text;
using MetricsPipeline.Decisions.Commands;
using MetricsPipeline.Decisions.Simulation;
using MetricsPipeline.Fleet;
using MetricsPipeline.Host.Simulation;

namespace MetricsPipeline.Host.Commands;

/// <summary>
/// <c>metrics-pipeline simulate --trace load.csv --policy static|reactive|hpa|predictive|&lt;config.json&gt; --output summary.json</c>:
/// runs the closed-loop simulator (the real decision classes on virtual time) and writes the summary. A thin wrapper
/// over <see cref="ClosedLoopSimulator"/>. Exit 0 on success, 2 on a bad option, trace, policy (config) or output path.
/// </summary>
internal static class SimulateCommand
{
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(5);

    // The most days of one-minute fleet load a run can hold (6944).
    private const int MaxFleetDays = LoadTrace.MaxSteps / 1440;

    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var trace = new Option<string?>("--trace") { Description = "Load trace CSV: an optional header, then timestamp,value rows in time order (e.g. requests/s). Omit to use --fleet." };
        var fleet = new Option<string?>("--fleet") { Description = "Drive the simulation by the simulated fleet instead: the service name (e.g. api)." };
        var fleetDays = new Option<int>("--fleet-days") { Description = "Days of fleet load to simulate (1 to 6944).", DefaultValueFactory = _ => 7 };
        var fleetIncidents = new Option<bool>("--fleet-incidents") { Description = "Add a 4× traffic spike on day 2 of the fleet load.", DefaultValueFactory = _ => true };
        var seed = new Option<long>("--seed") { Description = "Fleet seed.", DefaultValueFactory = _ => 42 };
        var policy = new Option<string>("--policy") { Description = "static, reactive, hpa, predictive, or the path of a JSON policy config.", Required = true };
        var output = new Option<string>("--output") { Description = "Where to write the summary JSON.", DefaultValueFactory = _ => "summary.json" };
        var commands = new Option<string?>("--commands") { Description = "Optional file to write every emitted scaling-command/v1 message to (JSON lines)." };
        var minutes = new Option<string?>("--minutes") { Description = "Optional CSV file for the policy's per-step timeline (step,timestamp,load,provisioned,ready,utilization,violation)." };
        var slo = new Option<double>("--slo-p95-ms") { Description = "SLO on p95 latency, in ms.", DefaultValueFactory = _ => 500 };
        var baseP95 = new Option<double>("--base-p95-ms") { Description = "p95 latency of an idle instance, in ms.", DefaultValueFactory = _ => 150 };
        var capacity = new Option<double?>("--capacity-per-instance") { Description = "Load one instance serves at 100 % utilisation, in the trace's units. Default: the median load needs 10 instances at 75 %." };
        var startup = new Option<string>("--startup-delay") { Description = "Instance start-up delay (e.g. 3m, 90s), at most 1d.", DefaultValueFactory = _ => "3m" };
        var price = new Option<double>("--price") { Description = "Price per instance per hour.", DefaultValueFactory = _ => 0.10 };
        var min = new Option<int>("--min-instances") { Description = "Fewest instances.", DefaultValueFactory = _ => 1 };
        var max = new Option<int>("--max-instances") { Description = "Most instances.", DefaultValueFactory = _ => 1000 };

        var command = new Command("simulate", "Run a scaling policy in the closed-loop simulator and write summary.json.");
        foreach (var option in new Option[] { trace, fleet, fleetDays, fleetIncidents, seed, policy, output, commands, minutes, slo, baseP95, capacity, startup, price, min, max })
        {
            command.Options.Add(option);
        }

        command.SetAction(parse =>
        {
            try
            {
                string? tracePath = parse.GetValue(trace);
                string? fleetService = parse.GetValue(fleet);
                if ((tracePath is null) == (fleetService is null))
                {
                    throw new ArgumentException("Give exactly one of --trace and --fleet.");
                }

                // A directory given as an output failed only at the write ("Access to the path … is denied."), for --output
                // after the whole run. Only that is checked here: simulate creates a missing parent directory when it writes.
                foreach (var (name, path) in new[] { ("--output", parse.GetValue(output)), ("--commands", parse.GetValue(commands)), ("--minutes", parse.GetValue(minutes)) })
                {
                    if (path is not null)
                    {
                        CliPaths.RequireNotDirectory(name, path);
                    }
                }

                // Checked here against the options' own names; SimulationOptions.Validate says the same in property terms.
                CheckOptions(parse.GetValue(slo), parse.GetValue(baseP95), parse.GetValue(capacity), parse.GetValue(price), parse.GetValue(min), parse.GetValue(max));
                var startupDelay = DurationParser.Parse(parse.GetValue(startup)!);
                if (startupDelay > SimulationOptions.MaxDelay)
                {
                    throw new ArgumentException($"--startup-delay must be at most 1 day (got {parse.GetValue(startup)}).");
                }

                if (fleetService is not null && parse.GetValue(fleetDays) < 1)
                {
                    throw new ArgumentException($"--fleet-days must be at least 1 (got {parse.GetValue(fleetDays)}).");
                }

                // Checked before the fleet is generated: more days overflowed days × 1440 ("Non-negative number required.")
                // or generated for minutes before the run refused more than LoadTrace.MaxSteps steps.
                if (fleetService is not null && parse.GetValue(fleetDays) > MaxFleetDays)
                {
                    throw new ArgumentException($"--fleet-days must be between 1 and {MaxFleetDays} (a run has at most {LoadTrace.MaxSteps} one-minute steps; got {parse.GetValue(fleetDays)}).");
                }

                var load = tracePath is not null
                    ? LoadTrace.ReadCsv(tracePath)
                    : FleetLoadTrace.Create(fleetService!, parse.GetValue(fleetDays), parse.GetValue(fleetIncidents), parse.GetValue(seed));
                if (load.DuplicateRows > 0)
                {
                    // The last row of a repeated timestamp is used, as always; the rows it replaced should not vanish unseen.
                    Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"simulate: warning: {load.DuplicateRows} {(load.DuplicateRows == 1 ? "row repeats" : "rows repeat")} the previous row's timestamp and replace{(load.DuplicateRows == 1 ? "s" : string.Empty)} it (the last row of a timestamp is kept); the first is {load.FirstDuplicate}"));
                }
                var simulator = new ClosedLoopSimulator(new SimulationOptions
                {
                    SloP95Ms = parse.GetValue(slo),
                    BaseP95Ms = parse.GetValue(baseP95),
                    CapacityPerInstance = parse.GetValue(capacity),
                    StartupDelay = startupDelay,
                    PricePerInstanceHour = parse.GetValue(price),
                    MinInstances = parse.GetValue(min),
                    MaxInstances = parse.GetValue(max),
                });
                using var commandWriter = parse.GetValue(commands) is { } commandsPath ? OpenWriter(commandsPath) : null;
                using var minuteWriter = parse.GetValue(minutes) is { } minutesPath ? OpenWriter(minutesPath) : null;
                minuteWriter?.WriteLine("step,timestamp,load,provisioned,ready,utilization,violation");
                var step = simulator.Options.Step;
                var chosen = SimulationPolicy.Parse(parse.GetValue(policy)!);
                // Long runs (a year of minutes takes ≈ 10 s) say on standard error that they are alive, every 5 s.
                var progress = new SimulationProgress(Console.Error, $"simulate: {chosen.Name} on {load.Name}", ((load.End - load.Start).Ticks / step.Ticks) + 1, TimeProvider.System, ProgressInterval);
                var summary = simulator.Run(load, chosen,
                    commandWriter is null ? null : c => commandWriter.WriteLine(ScalingCommandJson.ToJson(c)),
                    m =>
                    {
                        progress.Report(m.Step);
                        minuteWriter?.WriteLine(string.Create(CultureInfo.InvariantCulture,
                            $"{m.Step},{load.Start + (step * m.Step):yyyy-MM-ddTHH:mm:ssZ},{m.Load:0.######},{m.Provisioned},{m.Ready},{m.Utilization:0.####},{(m.Violation ? 1 : 0)}"));
                    });
                string outputPath = parse.GetValue(output)!;
                SimulationSummaryJson.Write(summary, outputPath);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{summary.Policy} on {summary.Trace}: cost {summary.Cost:0.00} (oracle {summary.OracleCost:0.00}, ×{summary.CostVsOracle:0.000}; static {summary.StaticCost:0.00}), SLO violated {summary.SloViolationMinutes}/{summary.TotalMinutes} min ({summary.SloViolationFraction:P2}), {summary.ScalingActions} actions, {summary.Oscillations} oscillations, mean utilisation {summary.MeanUtilization:P1}{PeakRule(summary)} → {outputPath}"));
                return 0;
            }
            catch (Exception ex) when (ex is ArgumentException or FormatException or IOException or UnauthorizedAccessException)
            {
                // What the user gave: an option, the trace, the policy or its config, an output path. Exit 2, as detect, nab,
                // plot, fleet and run do for their input (before: 1).
                Console.Error.WriteLine($"simulate: {CliErrorText.Of(ex)}");
                return 2;
            }
        });
        return command;
    }

    private static void CheckOptions(double slo, double baseP95, double? capacity, double price, int min, int max)
    {
        if (!(slo > 0 && double.IsFinite(slo)))
        {
            throw new ArgumentException($"--slo-p95-ms must be positive and finite (got {slo.ToString(CultureInfo.InvariantCulture)}).");
        }

        if (!(baseP95 > 0) || baseP95 >= slo)
        {
            throw new ArgumentException($"--base-p95-ms must be positive and below --slo-p95-ms {slo.ToString(CultureInfo.InvariantCulture)} (got {baseP95.ToString(CultureInfo.InvariantCulture)}).");
        }

        if (capacity is { } c && !(c > 0 && double.IsFinite(c)))
        {
            throw new ArgumentException($"--capacity-per-instance must be positive (got {c.ToString(CultureInfo.InvariantCulture)}).");
        }

        if (!(price >= 0 && double.IsFinite(price)))
        {
            throw new ArgumentException($"--price must be zero or positive (got {price.ToString(CultureInfo.InvariantCulture)}).");
        }

        if (min < 0 || max < Math.Max(1, min))
        {
            throw new ArgumentException($"--min-instances and --max-instances must satisfy 0 ≤ min ≤ max and max ≥ 1 (got {min} and {max}).");
        }
    }

    private static StreamWriter OpenWriter(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        return new StreamWriter(path, false, new UTF8Encoding(false));
    }

    // The hindsight-tuned peak rule, for comparison at the same violation minutes (absent for static provisioning).
    private static string PeakRule(SimulationSummary summary) =>
        summary.PeakRuleVsOracle is { } ratio
            ? string.Create(CultureInfo.InvariantCulture, $"; peak rule in hindsight ×{ratio:0.000} ({summary.PeakRuleFactor:0.000} × the {summary.PeakRuleWindowMinutes:0}-minute peak, SLO violated {summary.PeakRuleSloViolationMinutes} min)")
            : string.Empty;
}
