using System.Globalization;

namespace MetricsPipeline.Fleet;

/// <summary>
/// Parses compact durations such as <c>10s</c>, <c>5m</c>, <c>3d</c>, <c>1h30m</c>, <c>250ms</c> or <c>1.5h</c>:
/// one or more components, each a non-negative decimal number followed by a unit (<c>ns</c>, <c>us</c>,
/// <c>ms</c>, <c>s</c>, <c>m</c>, <c>h</c>, <c>d</c>, <c>w</c>). Surrounding whitespace is ignored; the result is
/// rounded to whole ticks (100 ns). Stateless and thread-safe.
/// </summary>
public static class DurationParser
{
    private const string Help = "expected a number followed by a unit (ns, us, ms, s, m, h, d, w), e.g. 10s, 5m, 3d, 1h30m or 250ms";

    /// <summary>Parses <paramref name="text"/>.</summary>
    /// <exception cref="FormatException">The text is not a duration; the message says what is wrong and where.</exception>
    public static TimeSpan Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryParse(text, out var result, out var error)
            ? result
            : throw new FormatException($"Invalid duration '{text}': {error}; {Help}.");
    }

    /// <summary>Tries to parse <paramref name="text"/>; returns <c>false</c> (never throws) when it is not a duration.</summary>
    public static bool TryParse(string? text, out TimeSpan result) => TryParse(text, out result, out _);

    private static bool TryParse(string? text, out TimeSpan result, out string error)
    {
        result = TimeSpan.Zero;
        var s = (text ?? string.Empty).Trim();
        if (s.Length == 0)
        {
            error = "it is empty";
            return false;
        }

        decimal ticks = 0;
        var i = 0;
        while (i < s.Length)
        {
            var numberStart = i;
            while (i < s.Length && (char.IsAsciiDigit(s[i]) || s[i] == '.'))
            {
                i++;
            }

            if (i == numberStart)
            {
                error = $"expected a number at position {numberStart + 1} but found '{s[numberStart]}'";
                return false;
            }

            var number = s[numberStart..i];
            if (!decimal.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value)
                || number.StartsWith('.') || number.EndsWith('.'))
            {
                error = $"'{number}' is not a number";
                return false;
            }

            var unitStart = i;
            while (i < s.Length && char.IsAsciiLetter(s[i]))
            {
                i++;
            }

            var unit = s[unitStart..i];
            decimal? ticksPerUnit = unit switch
            {
                "ns" => 0.01m,
                "us" => 10m,
                "ms" => TimeSpan.TicksPerMillisecond,
                "s" => TimeSpan.TicksPerSecond,
                "m" => TimeSpan.TicksPerMinute,
                "h" => TimeSpan.TicksPerHour,
                "d" => TimeSpan.TicksPerDay,
                "w" => 7 * TimeSpan.TicksPerDay,
                _ => null,
            };
            if (ticksPerUnit is null)
            {
                error = unit.Length == 0
                    ? $"the number '{number}' has no unit"
                    : $"unknown unit '{unit}' at position {unitStart + 1}";
                return false;
            }

            try
            {
                ticks += value * ticksPerUnit.Value;
            }
            catch (OverflowException)
            {
                error = "it is too large";
                return false;
            }

            if (ticks > TimeSpan.MaxValue.Ticks)
            {
                error = "it is too large";
                return false;
            }
        }

        result = TimeSpan.FromTicks((long)Math.Round(ticks, MidpointRounding.AwayFromZero));
        error = string.Empty;
        return true;
    }
}
