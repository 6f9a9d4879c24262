using System.CommandLine;
using MetricsPipeline.Host.Commands;

namespace MetricsPipeline.Host;

/// <summary>Entry point of the <c>metrics-pipeline</c> command-line program.</summary>
public static class Program
{
    /// <summary>Parses the command line and runs the chosen command; returns its exit code.</summary>
    public static int Main(string[] args)
    {
        var root = BuildRootCommand();
        return root.Parse(args).Invoke();
    }

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
