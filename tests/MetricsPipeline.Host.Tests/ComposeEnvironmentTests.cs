using System.Text.RegularExpressions;
using Xunit;
using YamlDotNet.RepresentationModel;

namespace MetricsPipeline.Host.Tests;

/// <summary>The compose services agree with each other and with Grafana's provisioning files.</summary>
public partial class ComposeEnvironmentTests
{
    private static YamlMappingNode Services()
    {
        var yaml = new YamlStream();
        using var reader = new StreamReader(Path.Combine(RepositoryPaths.Root, "docker-compose.yml"));
        yaml.Load(reader);
        return (YamlMappingNode)((YamlMappingNode)yaml.Documents[0].RootNode)["services"];
    }

    private static Dictionary<string, string> Environment(string service)
    {
        var node = (YamlMappingNode)((YamlMappingNode)Services()[service])["environment"];
        return node.Children.ToDictionary(c => ((YamlScalarNode)c.Key).Value!, c => ((YamlScalarNode)c.Value).Value!, StringComparer.Ordinal);
    }

    private static IEnumerable<string> Volumes(string service) =>
        ((YamlSequenceNode)((YamlMappingNode)Services()[service])["volumes"]).Children.Cast<YamlScalarNode>().Select(v => v.Value!);

    [Fact]
    public void EveryVariableTheDatasourceFileUsesIsSetOnGrafana()
    {
        var datasource = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "grafana", "provisioning", "datasources", "influxdb.yaml"));
        var used = EnvReference().Matches(datasource).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
        Assert.Superset(new HashSet<string> { "INFLUXDB_URL", "INFLUXDB_DATABASE", "INFLUXDB_TOKEN" }, used);
        var grafana = Environment("grafana");
        foreach (var name in used)
        {
            Assert.True(grafana.ContainsKey(name), $"grafana lacks {name}");
        }
    }

    [Fact]
    public void GrafanaPointsAtTheComposeInfluxDbWithItsTokenAndTheDbrpDatabase()
    {
        var grafana = Environment("grafana");
        var influx = Environment("influxdb");
        var pipeline = Environment("pipeline");
        var url = new Uri(grafana["INFLUXDB_URL"]);
        Assert.Contains(url.Host, Services().Children.Keys.Select(k => ((YamlScalarNode)k).Value));
        Assert.Equal(grafana["INFLUXDB_URL"], pipeline["InfluxDb__Url"]);
        Assert.Equal(influx["DOCKER_INFLUXDB_INIT_ADMIN_TOKEN"], grafana["INFLUXDB_TOKEN"]);
        Assert.Equal(influx["DOCKER_INFLUXDB_INIT_ADMIN_TOKEN"], pipeline["InfluxDb__Token"]);
        Assert.Equal(influx["DOCKER_INFLUXDB_INIT_BUCKET"], pipeline["InfluxDb__Bucket"]);
        Assert.Equal(influx["DOCKER_INFLUXDB_INIT_ORG"], pipeline["InfluxDb__Org"]);
        var dbrp = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "deploy", "influxdb", "create-dbrp.sh"));
        Assert.Equal(grafana["INFLUXDB_DATABASE"], DbrpDatabase().Match(dbrp).Groups[1].Value);
    }

    [Fact]
    public void GrafanaMountsItsProvisioningReadOnlyWhereTheProviderLooks()
    {
        var volumes = Volumes("grafana").ToList();
        Assert.All(volumes, v => Assert.EndsWith(":ro", v, StringComparison.Ordinal));
        var provider = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "grafana", "provisioning", "dashboards", "provider.yaml"));
        var path = ProviderPath().Match(provider).Groups[1].Value;
        Assert.Contains(volumes, v => v.StartsWith("./grafana/dashboards:" + path + ":", StringComparison.Ordinal));
        Assert.Contains(volumes, v => v.StartsWith("./grafana/provisioning:/etc/grafana/provisioning:", StringComparison.Ordinal));
    }

    [Fact]
    public void ThePipelineListensWhereTheImagesHealthCheckLooks()
    {
        var dockerfile = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "deploy", "Dockerfile"));
        Assert.Matches(HealthCheck(), dockerfile);
        Assert.Equal("0.0.0.0:9464", Environment("pipeline")["Host__Listen"]);
        Assert.Matches(@"FROM \S+ AS build[\s\S]*FROM \S+ AS runtime", dockerfile);
    }

    [GeneratedRegex(@"\$\{(\w+)\}")]
    private static partial Regex EnvReference();

    [GeneratedRegex(@"--db (\S+)")]
    private static partial Regex DbrpDatabase();

    [GeneratedRegex(@"path: (\S+)")]
    private static partial Regex ProviderPath();

    [GeneratedRegex(@"HEALTHCHECK [^\n]*\\\n\s+CMD .*/dev/tcp/127\.0\.0\.1/9464.*/healthz")]
    private static partial Regex HealthCheck();
}
