using Apache.Arrow;
using Apache.Arrow.Types;

namespace MetricsPipeline.Forecasting.History;

/// <summary>
/// The Arrow schema of the window history: one row per (window, series, numeric field).
/// <list type="table">
/// <item><term>start</term><description>timestamp[ns, UTC], not null — the window start.</description></item>
/// <item><term>window</term><description>utf8, not null — the window size (<c>10s</c>, <c>1m</c>).</description></item>
/// <item><term>measurement</term><description>utf8, not null.</description></item>
/// <item><term>tags</term><description>utf8, not null — the tags sorted by key as <c>k=v,k=v</c> (keys and values escaped as in line protocol: <c>\,</c> <c>\=</c> <c>\\</c>).</description></item>
/// <item><term>field</term><description>utf8, not null.</description></item>
/// <item><term>count</term><description>int64, not null.</description></item>
/// <item><term>sum, min, max</term><description>float64, not null.</description></item>
/// <item><term>p50, p90, …</term><description>float64, not null — one column per configured quantile, named as the aggregate fields are.</description></item>
/// </list>
/// Schema metadata: <c>metrics_pipeline.history_version</c> = <see cref="Version"/>.
/// </summary>
public static class WindowHistorySchema
{
    /// <summary>The schema version written in the metadata.</summary>
    public const string Version = "1";

    /// <summary>The metadata key that carries <see cref="Version"/>.</summary>
    public const string VersionKey = "metrics_pipeline.history_version";

    /// <summary>The fixed columns before the quantile columns.</summary>
    public static readonly IReadOnlyList<string> FixedColumns = ["start", "window", "measurement", "tags", "field", "count", "sum", "min", "max"];

    /// <summary>Builds the schema with one quantile column per name in <paramref name="quantileNames"/>.</summary>
    public static Schema Create(IReadOnlyList<string> quantileNames)
    {
        ArgumentNullException.ThrowIfNull(quantileNames);
        var builder = new Schema.Builder()
            .Field(f => f.Name("start").DataType(new TimestampType(TimeUnit.Nanosecond, "UTC")).Nullable(false))
            .Field(f => f.Name("window").DataType(StringType.Default).Nullable(false))
            .Field(f => f.Name("measurement").DataType(StringType.Default).Nullable(false))
            .Field(f => f.Name("tags").DataType(StringType.Default).Nullable(false))
            .Field(f => f.Name("field").DataType(StringType.Default).Nullable(false))
            .Field(f => f.Name("count").DataType(Int64Type.Default).Nullable(false))
            .Field(f => f.Name("sum").DataType(DoubleType.Default).Nullable(false))
            .Field(f => f.Name("min").DataType(DoubleType.Default).Nullable(false))
            .Field(f => f.Name("max").DataType(DoubleType.Default).Nullable(false));
        foreach (var name in quantileNames)
        {
            builder.Field(f => f.Name(name).DataType(DoubleType.Default).Nullable(false));
        }

        builder.Metadata(VersionKey, Version);
        return builder.Build();
    }

    /// <summary>Formats sorted tags as <c>k=v,k=v</c>, escaping <c>,</c>, <c>=</c> and <c>\</c>.</summary>
    public static string FormatTags(IReadOnlyList<KeyValuePair<string, string>> tags)
    {
        ArgumentNullException.ThrowIfNull(tags);
        var sb = new System.Text.StringBuilder();
        for (var i = 0; i < tags.Count; i++)
        {
            if (i > 0)
            {
                sb.Append(',');
            }

            Escape(sb, tags[i].Key);
            sb.Append('=');
            Escape(sb, tags[i].Value);
        }

        return sb.ToString();
    }

    /// <summary>Parses what <see cref="FormatTags"/> wrote.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> ParseTags(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var tags = new List<KeyValuePair<string, string>>();
        if (text.Length == 0)
        {
            return tags;
        }

        var current = new System.Text.StringBuilder();
        string? key = null;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\\' && i + 1 < text.Length)
            {
                current.Append(text[++i]);
            }
            else if (c == '=' && key is null)
            {
                key = current.ToString();
                current.Clear();
            }
            else if (c == ',')
            {
                tags.Add(new(key ?? string.Empty, current.ToString()));
                key = null;
                current.Clear();
            }
            else
            {
                current.Append(c);
            }
        }

        tags.Add(new(key ?? string.Empty, current.ToString()));
        return tags;
    }

    private static void Escape(System.Text.StringBuilder sb, string s)
    {
        foreach (var c in s)
        {
            if (c is ',' or '=' or '\\')
            {
                sb.Append('\\');
            }

            sb.Append(c);
        }
    }
}
