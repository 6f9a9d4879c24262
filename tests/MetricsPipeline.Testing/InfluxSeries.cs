using System.Text.Json;

namespace MetricsPipeline.Testing;

/// <summary>One series of an InfluxQL result: name, group-by tags, columns and rows (raw JSON values).</summary>
public sealed record InfluxSeries(
    string Name,
    IReadOnlyDictionary<string, string> Tags,
    IReadOnlyList<string> Columns,
    IReadOnlyList<IReadOnlyList<JsonElement>> Rows)
{
    /// <summary>The value of <paramref name="column"/> in row <paramref name="row"/>.</summary>
    public JsonElement Get(int row, string column)
    {
        var index = -1;
        for (var i = 0; i < Columns.Count; i++)
        {
            if (Columns[i] == column)
            {
                index = i;
                break;
            }
        }

        if (index < 0)
        {
            throw new KeyNotFoundException($"Series '{Name}' has no column '{column}'; columns: {string.Join(", ", Columns)}.");
        }

        return Rows[row][index];
    }
}
