using System.Globalization;

namespace MetricsPipeline.Forecasting.Streaming;

/// <summary>Reads window sizes as the <c>window</c> tag writes them: <c>500ms</c>, <c>10s</c>, <c>1m</c>, <c>1h</c>, <c>1d</c>.</summary>
public static class WindowText
{
    /// <summary>Parses <paramref name="text"/>.</summary>
    /// <exception cref="ArgumentException">Not a positive size with one of the units ms, s, m, h, d.</exception>
    public static TimeSpan Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var (digits, unit) = text.EndsWith("ms", StringComparison.Ordinal) ? (text[..^2], 1L)
            : text.Length > 1 ? (text[..^1], text[^1] switch { 's' => 1000L, 'm' => 60_000L, 'h' => 3_600_000L, 'd' => 86_400_000L, _ => 0L })
            : (text, 0L);
        if (unit == 0 || !long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n <= 0)
        {
            throw new ArgumentException($"'{text}' is not a window size (e.g. 10s, 1m, 1h).", nameof(text));
        }

        return TimeSpan.FromMilliseconds(n * unit);
    }
}
