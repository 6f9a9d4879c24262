namespace MetricsPipeline.Forecasting;

/// <summary>Rounds to float32 where ML.NET stores a quantity as <c>Single</c>, when MlNet compatibility is on.</summary>
internal readonly struct Float32(bool enabled)
{
    /// <summary>Whether rounding is on.</summary>
    public bool Enabled { get; } = enabled;

    /// <summary>Returns <paramref name="value"/>, rounded to float32 if enabled.</summary>
    public double R(double value) => Enabled ? (float)value : value;

    /// <summary>Rounds every element in place if enabled.</summary>
    public void R(Span<double> values)
    {
        if (!Enabled)
        {
            return;
        }

        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (float)values[i];
        }
    }
}
