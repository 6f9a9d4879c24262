using System.CommandLine;

namespace MetricsPipeline.Host.Commands;

/// <summary>The list of top-level commands. One line per command keeps additions conflict-free.</summary>
internal static class CommandCatalog
{
    /// <summary>Creates every top-level command.</summary>
    public static IEnumerable<Command> All()
    {
        yield return DemoCommand.Create();
        yield return FleetCommand.Create();
        yield return RunCommand.Create();
        yield return VersionCommand.Create();
        yield return BrokerCommand.Create();
        yield return NabCommand.Create();
        yield return DetectCommand.Create();
        yield return BenchCommand.Create();
        yield return ForecastCommand.Create();
        yield return BacktestCommand.Create();
        yield return SimulateCommand.Create();
        yield return AgentCommand.Create();
        yield return PlotCommand.Create();
        yield return RetrainCommand.Create();
        yield return FleetTraceCommand.Create();
    }
}
