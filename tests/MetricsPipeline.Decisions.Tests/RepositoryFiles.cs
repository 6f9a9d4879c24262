using System.Text.Json;
using MetricsPipeline.Decisions.Schemas;

namespace MetricsPipeline.Decisions.Tests;

internal static class RepositoryFiles
{
    public static string Root
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "MetricsPipeline.sln")))
            {
                dir = dir.Parent;
            }

            return dir?.FullName ?? throw new InvalidOperationException("Repository root (MetricsPipeline.sln) not found.");
        }
    }

    public static JsonElement Schema(string fileName)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(Root, "schemas", fileName)));
        return doc.RootElement.Clone();
    }

    public static void AssertValid(string schemaFile, string json)
    {
        using var doc = JsonDocument.Parse(json);
        var errors = JsonSchemaSubsetValidator.Validate(Schema(schemaFile), doc.RootElement);
        Xunit.Assert.True(errors.Count == 0, string.Join(Environment.NewLine, errors.Prepend(json)));
    }
}
