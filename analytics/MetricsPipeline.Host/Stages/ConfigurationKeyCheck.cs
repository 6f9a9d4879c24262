using System.Collections;
using System.Reflection;
using Microsoft.Extensions.Configuration;

namespace MetricsPipeline.Host.Stages;

/// <summary>
/// Finds configuration keys that bind to nothing. The binder skips a key it has no property for without a word, so a
/// misspelt <c>Analytics:Alerts:Enabeld</c> left alerts on and a misspelt capacity left the estimate in charge.
/// </summary>
internal static class ConfigurationKeyCheck
{
    /// <summary>
    /// Throws when <paramref name="section"/> holds a key that no public settable property of <paramref name="type"/>
    /// (recursively: objects, lists and dictionaries) nor <paramref name="extra"/> names; keys match case-insensitively,
    /// as the binder matches them.
    /// </summary>
    /// <exception cref="ArgumentException">The message names the first unknown key by its full path and the settings of its level.</exception>
    public static void ThrowOnUnknownKeys(IConfigurationSection section, Type type, params string[] extra) => Check(section, type, extra);

    private static void Check(IConfigurationSection section, Type type, string[] extra)
    {
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        if (IsLeaf(underlying))
        {
            return;
        }

        if (DictionaryValue(underlying) is { } valueType)
        {
            foreach (var child in section.GetChildren())
            {
                Check(child, valueType, []);
            }

            return;
        }

        if (ElementType(underlying) is { } elementType)
        {
            foreach (var child in section.GetChildren())
            {
                Check(child, elementType, []);
            }

            return;
        }

        var properties = underlying.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetIndexParameters().Length == 0).ToList();
        foreach (var child in section.GetChildren())
        {
            if (extra.Contains(child.Key, StringComparer.OrdinalIgnoreCase))
            {
                continue;
            }

            var property = properties.FirstOrDefault(p => string.Equals(p.Name, child.Key, StringComparison.OrdinalIgnoreCase));
            if (property is null)
            {
                var names = properties.Select(p => p.Name).Concat(extra).Order(StringComparer.Ordinal);
                throw new ArgumentException($"{child.Path} is not a setting (misspelt?); {section.Path} has {string.Join(", ", names)}.");
            }

            Check(child, property.PropertyType, []);
        }
    }

    private static bool IsLeaf(Type type) =>
        type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(TimeSpan)
        || type == typeof(DateTime) || type == typeof(DateTimeOffset) || type == typeof(DateOnly) || type == typeof(TimeOnly)
        || type == typeof(Uri) || type == typeof(object);

    private static Type? DictionaryValue(Type type) =>
        (type.IsGenericType && type.GetGenericTypeDefinition() is var d && (d == typeof(Dictionary<,>) || d == typeof(IDictionary<,>) || d == typeof(IReadOnlyDictionary<,>))
            ? type : type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IDictionary<,>)))
        ?.GetGenericArguments()[1];

    private static Type? ElementType(Type type) =>
        type.IsArray ? type.GetElementType()
        : typeof(IEnumerable).IsAssignableFrom(type)
            ? (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IEnumerable<>) ? type : type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>)))?.GetGenericArguments()[0]
            : null;
}
