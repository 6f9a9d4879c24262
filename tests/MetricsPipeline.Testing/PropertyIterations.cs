using System.Globalization;

namespace MetricsPipeline.Testing;

/// <summary>
/// The iteration count of a CsCheck property, scaled by METRICSPIPELINE_PROPERTY_SCALE (default 1). CsCheck draws new
/// seeds every run, so a property that fails on one seed in a few thousand is a CI flake waiting to happen: a scale of
/// 20-100 runs each property that many times more often, to find such seeds before CI does. CsCheck_Iter alone cannot do
/// this, because the tests pass their own iteration counts and an explicit count wins over it.
/// </summary>
public static class PropertyIterations
{
    private static readonly int Scale = ReadScale();

    /// <summary>Returns <paramref name="iterations"/> times the scale.</summary>
    public static int Scaled(int iterations) => checked(iterations * Scale);

    private static int ReadScale()
    {
        var text = Environment.GetEnvironmentVariable("METRICSPIPELINE_PROPERTY_SCALE");
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var scale) && scale > 0 ? scale : 1;
    }
}
