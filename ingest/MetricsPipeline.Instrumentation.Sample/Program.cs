namespace MetricsPipeline.Instrumentation.Sample;

/// <summary>Placeholder entry point, replaced by the sample application.</summary>
public static class Program
{
    /// <summary>Does nothing yet.</summary>
    public static void Main()
    {
    }
}
