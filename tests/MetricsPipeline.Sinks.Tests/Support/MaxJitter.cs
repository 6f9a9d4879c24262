namespace MetricsPipeline.Sinks.Tests.Support;

/// <summary>A "random" source that always draws the top of the range, making full-jitter delays deterministic.</summary>
internal sealed class MaxJitter : Random
{
    public override double NextDouble() => 1.0;

    protected override double Sample() => 1.0;
}
