using Xunit;

namespace MetricsPipeline.FaultInjection.Tests;

/// <summary>
/// Writes a scenario's measured numbers to the test output and appends them to <c>fault-numbers.txt</c> beside the
/// test assembly, where the report collects them (the test runner does not show test output for passing tests).
/// </summary>
internal static class Numbers
{
    private static readonly Lock Gate = new();

    public static void Report(string scenario, string line)
    {
        var text = $"{DateTime.UtcNow:O} {scenario}: {line}";
        TestContext.Current.TestOutputHelper?.WriteLine(text);
        lock (Gate)
        {
            File.AppendAllText(Path.Combine(AppContext.BaseDirectory, "fault-numbers.txt"), text + Environment.NewLine);
        }
    }
}
