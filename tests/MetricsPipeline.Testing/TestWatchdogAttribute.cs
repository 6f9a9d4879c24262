using System.Reflection;
using Xunit.v3;

namespace MetricsPipeline.Testing;

/// <summary>
/// Applied to every test assembly by Directory.Build.props. Reports each test's start and end to
/// <see cref="TestWatchdog"/>, which turns a hung test module into a prompt failure that names the hung tests.
/// </summary>
[AttributeUsage(AttributeTargets.Assembly)]
public sealed class TestWatchdogAttribute : BeforeAfterTestAttribute
{
    /// <summary>Arms the watchdog as the runner reads the assembly's attributes, so a hang before the first test counts.</summary>
    public TestWatchdogAttribute() => TestWatchdog.Arm();

    public override void Before(MethodInfo methodUnderTest, IXunitTest test)
    {
        ArgumentNullException.ThrowIfNull(test);
        TestWatchdog.Started(test.UniqueID, test.TestDisplayName);
    }

    public override void After(MethodInfo methodUnderTest, IXunitTest test)
    {
        ArgumentNullException.ThrowIfNull(test);
        TestWatchdog.Finished(test.UniqueID, test.TestDisplayName);
    }
}
