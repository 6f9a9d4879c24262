using System.Text.RegularExpressions;
using Xunit;
using YamlDotNet.RepresentationModel;

namespace MetricsPipeline.Host.Tests;

/// <summary>docker compose cannot run here, so the compose file is checked as far as this machine allows.</summary>
public class ComposeFileTests
{
    private static YamlMappingNode LoadServices()
    {
        var yaml = new YamlStream();
        using var reader = new StreamReader(Path.Combine(RepositoryPaths.Root, "docker-compose.yml"));
        yaml.Load(reader);
        var root = (YamlMappingNode)yaml.Documents[0].RootNode;
        return (YamlMappingNode)root.Children[new YamlScalarNode("services")];
    }

    private static string? Scalar(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? (value as YamlScalarNode)?.Value : null;

    [Fact]
    public void TheComposeFileHasKafkaInfluxDbGrafanaThePipelineAndTheFleet()
    {
        var names = LoadServices().Children.Keys.Select(k => ((YamlScalarNode)k).Value).ToHashSet();
        Assert.Superset(new HashSet<string?> { "kafka", "influxdb", "grafana", "pipeline", "fleet" }, names);
    }

    [Fact]
    public void EveryImageIsPinnedToAVersion()
    {
        foreach (var (key, value) in LoadServices().Children)
        {
            var image = Scalar((YamlMappingNode)value, "image");
            if (image is null)
            {
                continue;
            }

            Assert.Matches(new Regex(@"^[^:]+:(?!latest$)[0-9][\w.\-]*$"), image);
            _ = key;
        }
    }

    [Fact]
    public void EveryReferencedFileExists()
    {
        var root = RepositoryPaths.Root;
        foreach (var (_, value) in LoadServices().Children)
        {
            var service = (YamlMappingNode)value;
            if (service.Children.TryGetValue(new YamlScalarNode("build"), out var build) && build is YamlMappingNode b)
            {
                var context = Path.Combine(root, Scalar(b, "context") ?? ".");
                Assert.True(Directory.Exists(context), $"build context {context}");
                Assert.True(File.Exists(Path.Combine(context, Scalar(b, "dockerfile") ?? "Dockerfile")), "dockerfile");
            }

            if (service.Children.TryGetValue(new YamlScalarNode("volumes"), out var volumes))
            {
                foreach (var volume in ((YamlSequenceNode)volumes).Children.Cast<YamlScalarNode>())
                {
                    var host = volume.Value!.Split(':')[0];
                    if (host.StartsWith("./", StringComparison.Ordinal))
                    {
                        var path = Path.Combine(root, host[2..]);
                        Assert.True(File.Exists(path) || Directory.Exists(path), $"volume source {host} does not exist");
                    }
                }
            }
        }
    }

    [Fact]
    public void TheDockerfileCopiesTheSettingsItRunsWith()
    {
        var dockerfile = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "deploy", "Dockerfile"));
        foreach (Match m in Regex.Matches(dockerfile, @"^COPY (?!--from)(\S+) ", RegexOptions.Multiline))
        {
            var source = m.Groups[1].Value;
            if (source != ".")
            {
                Assert.True(File.Exists(Path.Combine(RepositoryPaths.Root, source)), $"COPY source {source}");
            }
        }

        Assert.Contains("USER app", dockerfile, StringComparison.Ordinal);
    }
}
