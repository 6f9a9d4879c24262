namespace MetricsPipeline.Sinks.Tests.Support;

/// <summary>
/// Waits for a condition another thread will make true (the sink's loop runs on the thread pool). This waits for an
/// event, not for time: fake clocks drive every timed behaviour; the real-time limit only turns a hang into a failure.
/// </summary>
internal static class Eventually
{
    public static async Task TrueAsync(Func<bool> condition, string what, int timeoutSeconds = 60)
    {
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("Timed out waiting until " + what);
            }

            await Task.Delay(1);
        }
    }

    /// <summary>Lets the thread pool run pending work, so a negative assertion has a chance to be wrong.</summary>
    public static async Task SettleAsync()
    {
        for (var i = 0; i < 20; i++)
        {
            await Task.Delay(1);
        }
    }
}
