using System.CommandLine;
using System.Reflection;

namespace MetricsPipeline.Host.Commands;

/// <summary><c>metrics-pipeline version</c>: prints the program version.</summary>
internal static class VersionCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var command = new Command("version", "Print the program version.");
        command.SetAction(_ =>
        {
            var version = typeof(VersionCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
            Console.WriteLine(version);
            return 0;
        });
        return command;
    }
}
