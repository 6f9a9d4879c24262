namespace MetricsPipeline.Forecasting.History;

/// <summary>
/// One field of one closed window of one series: a row of the window history (see <see cref="WindowHistorySchema"/>).
/// </summary>
/// <param name="StartNs">The window start, Unix nanoseconds.</param>
/// <param name="Window">The window size as the <c>window</c> tag writes it (<c>10s</c>, <c>1m</c>).</param>
/// <param name="Measurement">The source measurement.</param>
/// <param name="Tags">The source tags, sorted by key.</param>
/// <param name="Field">The source field.</param>
/// <param name="Count">Values in the window.</param>
/// <param name="Sum">Their sum.</param>
/// <param name="Min">The smallest.</param>
/// <param name="Max">The largest.</param>
/// <param name="Quantiles">One value per quantile column, in the order of the writer's quantile names.</param>
public sealed record WindowHistoryRecord(
    long StartNs,
    string Window,
    string Measurement,
    IReadOnlyList<KeyValuePair<string, string>> Tags,
    string Field,
    long Count,
    double Sum,
    double Min,
    double Max,
    double[] Quantiles)
{
    /// <summary>The mean, <see cref="Sum"/> / <see cref="Count"/> (NaN for an empty window).</summary>
    public double Mean => Count == 0 ? double.NaN : Sum / Count;

    /// <summary>The value of tag <paramref name="key"/>, or null.</summary>
    public string? Tag(string key)
    {
        foreach (var tag in Tags)
        {
            if (string.Equals(tag.Key, key, StringComparison.Ordinal))
            {
                return tag.Value;
            }
        }

        return null;
    }
}
