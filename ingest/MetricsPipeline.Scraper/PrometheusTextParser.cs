using System.Globalization;
using System.Text;

namespace MetricsPipeline.Scraper;

/// <summary>
/// Parses the Prometheus text exposition format 0.0.4 and OpenMetrics 1.0 text. Never throws for bad input: an
/// unreadable line is listed in <see cref="PrometheusExposition.Errors"/> and parsing goes on.
/// </summary>
/// <remarks>
/// <para><c># HELP</c>, <c># TYPE</c> and (OpenMetrics) <c># UNIT</c> attach to their family; other comments and
/// <c># EOF</c> are skipped. A sample belongs to the family whose name it has, or whose name it has with one of the
/// type's suffixes (<c>_bucket</c>, <c>_sum</c>, <c>_count</c>, <c>_total</c>, <c>_created</c>, <c>_gsum</c>,
/// <c>_gcount</c>, <c>_info</c>); otherwise it starts an untyped family of its own.</para>
/// <para>Timestamps: milliseconds (integer) in the text format, seconds (may be fractional) in OpenMetrics.
/// OpenMetrics exemplars (<c> # {...} v</c>) are ignored. Values: floats, <c>NaN</c>, <c>+Inf</c>, <c>-Inf</c>.</para>
/// <para>Thread-safe (stateless).</para>
/// </remarks>
public static class PrometheusTextParser
{
    private static readonly string[] Suffixes = ["_bucket", "_sum", "_count", "_total", "_created", "_gsum", "_gcount", "_info"];

    /// <summary>Parses <paramref name="text"/>.</summary>
    /// <param name="text">The exposition body.</param>
    /// <param name="openMetrics">Whether it is OpenMetrics (timestamps in seconds) rather than text 0.0.4 (milliseconds).</param>
    public static PrometheusExposition Parse(string text, bool openMetrics)
    {
        ArgumentNullException.ThrowIfNull(text);
        var result = new PrometheusExposition();
        var families = new Dictionary<string, PrometheusFamily>(StringComparer.Ordinal);
        var lineNumber = 0;
        foreach (var rawLine in text.Split('\n'))
        {
            lineNumber++;
            var line = rawLine.TrimEnd('\r').Trim(' ', '\t');
            if (line.Length == 0)
            {
                continue;
            }

            try
            {
                if (line[0] == '#')
                {
                    ReadComment(line, families, result);
                }
                else if (TryReadSample(line, openMetrics, out var sample, out var error))
                {
                    FamilyOf(sample.Name, families, result).Samples.Add(sample);
                }
                else
                {
                    result.Errors.Add($"line {lineNumber}: {error}");
                }
            }
#pragma warning disable CA1031 // The contract is "never throws": any surprise becomes an error entry.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                result.Errors.Add($"line {lineNumber}: {ex.Message}");
            }
        }

        return result;
    }

    private static void ReadComment(string line, Dictionary<string, PrometheusFamily> families, PrometheusExposition result)
    {
        var parts = line.Split([' ', '\t'], 4, StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 3 || parts[0] != "#")
        {
            return;
        }

        var keyword = parts[1];
        var name = parts[2];
        var rest = parts.Length > 3 ? parts[3] : string.Empty;
        switch (keyword)
        {
            case "TYPE":
                var family = Family(name, families, result);
                family.Type = rest.Trim().ToUpperInvariant() switch
                {
                    "COUNTER" => PrometheusMetricType.Counter,
                    "GAUGE" => PrometheusMetricType.Gauge,
                    "HISTOGRAM" => PrometheusMetricType.Histogram,
                    "SUMMARY" => PrometheusMetricType.Summary,
                    "GAUGEHISTOGRAM" => PrometheusMetricType.GaugeHistogram,
                    "INFO" => PrometheusMetricType.Info,
                    "STATESET" => PrometheusMetricType.StateSet,
                    _ => PrometheusMetricType.Untyped,
                };
                break;
            case "HELP":
                Family(name, families, result).Help = Unescape(rest, quoted: false);
                break;
            case "UNIT":
                Family(name, families, result).Unit = rest.Trim();
                break;
        }
    }

    private static PrometheusFamily Family(string name, Dictionary<string, PrometheusFamily> families, PrometheusExposition result)
    {
        if (!families.TryGetValue(name, out var family))
        {
            family = new PrometheusFamily(name, PrometheusMetricType.Untyped);
            families[name] = family;
            result.Families.Add(family);
        }

        return family;
    }

    private static PrometheusFamily FamilyOf(string sampleName, Dictionary<string, PrometheusFamily> families, PrometheusExposition result)
    {
        if (families.TryGetValue(sampleName, out var exact) && (exact.Type != PrometheusMetricType.Untyped || exact.Samples.Count > 0 || exact.Help is not null))
        {
            return exact;
        }

        foreach (var suffix in Suffixes)
        {
            if (sampleName.EndsWith(suffix, StringComparison.Ordinal)
                && families.TryGetValue(sampleName[..^suffix.Length], out var family)
                && family.Type != PrometheusMetricType.Untyped)
            {
                return family;
            }
        }

        return Family(sampleName, families, result);
    }

    private static bool TryReadSample(string line, bool openMetrics, out PrometheusSample sample, out string error)
    {
        sample = null!;
        var i = 0;
        while (i < line.Length && IsNameChar(line[i], i == 0))
        {
            i++;
        }

        if (i == 0)
        {
            error = "invalid metric name";
            return false;
        }

        var name = line[..i];
        var labels = new List<KeyValuePair<string, string>>();
        if (i < line.Length && line[i] == '{')
        {
            if (!TryReadLabels(line, ref i, labels, out error))
            {
                return false;
            }
        }

        var rest = line[i..].Trim();
        var exemplar = rest.IndexOf(" # ", StringComparison.Ordinal);
        if (exemplar >= 0)
        {
            rest = rest[..exemplar];
        }

        var parts = rest.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length is 0 or > 2)
        {
            error = "expected a value and an optional timestamp";
            return false;
        }

        if (!TryValue(parts[0], out var value))
        {
            error = $"invalid value '{parts[0]}'";
            return false;
        }

        long? timestampNs = null;
        if (parts.Length == 2)
        {
            if (!double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var ts) || !double.IsFinite(ts))
            {
                error = $"invalid timestamp '{parts[1]}'";
                return false;
            }

            var ns = openMetrics ? ts * 1e9 : ts * 1e6;
            if (Math.Abs(ns) >= 9.2e18)
            {
                error = $"timestamp out of range '{parts[1]}'";
                return false;
            }

            timestampNs = (long)ns;
        }

        sample = new PrometheusSample(name, labels, value, timestampNs);
        error = string.Empty;
        return true;
    }

    private static bool TryReadLabels(string line, ref int i, List<KeyValuePair<string, string>> labels, out string error)
    {
        i++; // '{'
        while (true)
        {
            while (i < line.Length && line[i] is ' ' or ',')
            {
                i++;
            }

            if (i < line.Length && line[i] == '}')
            {
                i++;
                error = string.Empty;
                return true;
            }

            var start = i;
            while (i < line.Length && IsNameChar(line[i], i == start))
            {
                i++;
            }

            if (i == start || i >= line.Length || line[i] != '=' || i + 1 >= line.Length || line[i + 1] != '"')
            {
                error = "invalid label";
                return false;
            }

            var key = line[start..i];
            i += 2;
            var value = new StringBuilder();
            while (i < line.Length && line[i] != '"')
            {
                if (line[i] == '\\' && i + 1 < line.Length)
                {
                    i++;
                    value.Append(line[i] switch { 'n' => '\n', _ => line[i] });
                }
                else
                {
                    value.Append(line[i]);
                }

                i++;
            }

            if (i >= line.Length)
            {
                error = "unterminated label value";
                return false;
            }

            i++; // closing quote
            labels.Add(new(key, value.ToString()));
        }
    }

    private static bool TryValue(string text, out double value)
    {
        switch (text)
        {
            case "NaN":
                value = double.NaN;
                return true;
            case "+Inf" or "Inf" or "+inf" or "inf":
                value = double.PositiveInfinity;
                return true;
            case "-Inf" or "-inf":
                value = double.NegativeInfinity;
                return true;
            default:
                return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
        }
    }

    private static bool IsNameChar(char c, bool first) =>
        c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or '_' or ':' || (!first && c is >= '0' and <= '9');

    private static string Unescape(string text, bool quoted)
    {
        if (!text.Contains('\\', StringComparison.Ordinal))
        {
            return text;
        }

        var builder = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\' && i + 1 < text.Length)
            {
                i++;
                builder.Append(text[i] switch { 'n' => '\n', '"' when quoted => '"', _ => text[i] });
            }
            else
            {
                builder.Append(text[i]);
            }
        }

        return builder.ToString();
    }
}
