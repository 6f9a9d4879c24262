using System.CommandLine;
using System.CommandLine.Invocation;
using MetricsPipeline.Host.Commands;

namespace MetricsPipeline.Host;

/// <summary>Entry point of the <c>metrics-pipeline</c> command-line program.</summary>
public static class Program
{
    /// <summary>Parses the command line and runs the chosen command; returns its exit code.</summary>
    public static int Main(string[] args)
    {
        var root = BuildRootCommand();
        // On SIGTERM/Ctrl+C a command gets its cancellation and this long to finish: leaving the consumer group,
        // writing the open windows and flushing the sinks (bounded by their own 30 s shutdown timeout). The default
        // (2 s) cut the final flush short.
        var invocation = new InvocationConfiguration { ProcessTerminationTimeout = TerminationTimeout };
        var parse = root.Parse(args);
        int exitCode = parse.Invoke(invocation);

        // System.CommandLine reports its own parse errors (an unknown or missing option, a value that does not parse) with
        // exit 1, the code of a run that failed; they are usage errors like the ones the commands report themselves.
        return parse.Action is ParseErrorAction ? UsageError : exitCode;
    }

    /// <summary>
    /// The exit code of a usage error: what the user gave is wrong (the command line, an input file, a configuration, an
    /// output path). Every command exits 2 for these, 1 when the work itself failed, and 0 on success.
    /// </summary>
    public const int UsageError = 2;

    /// <summary>The exit code of a run that failed (a server unreachable, nothing produced).</summary>
    public const int RunFailed = 1;

    /// <summary>How long a command may take to stop after SIGTERM or Ctrl+C before the process ends anyway.</summary>
    public static readonly TimeSpan TerminationTimeout = TimeSpan.FromSeconds(45);

    /// <summary>Builds the command tree. Each command lives in its own file under <c>Commands/</c>.</summary>
    public static RootCommand BuildRootCommand()
    {
        var root = new RootCommand("MetricsPipeline: metrics from Kafka through streaming analytics to InfluxDB.");
        foreach (var command in CommandCatalog.All())
        {
            root.Subcommands.Add(command);
        }

        return root;
    }
}
