using System.CommandLine;
using MetricsPipeline.Host.Bench;

namespace MetricsPipeline.Host.Commands;

/// <summary><c>metrics-pipeline bench &lt;name&gt;</c>: runs one of the built-in measurement harnesses.</summary>
internal static class BenchCommand
{
    /// <summary>Creates the parent command with every benchmark as a subcommand.</summary>
    public static Command Create()
    {
        var command = new Command("bench", "Run a built-in benchmark and write its results as JSON.");
        foreach (var subcommand in Subcommands())
        {
            command.Subcommands.Add(subcommand);
        }

        return command;
    }

    /// <summary>One line per benchmark keeps additions conflict-free.</summary>
    private static IEnumerable<Command> Subcommands()
    {
        yield return SketchBench.CreateCommand();
        yield return EndToEndBench.CreateCommand();
        yield return AggregateBench.CreateCommand();
        yield return BenchHttpCommand.Create();
        yield return BenchAgentCommand.Create();
        yield return SoakBench.CreateCommand();
        yield return ScaleBench.CreateCommand();
    }
}
