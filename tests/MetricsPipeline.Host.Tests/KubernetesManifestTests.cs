using System.Text.RegularExpressions;
using Xunit;
using YamlDotNet.RepresentationModel;

namespace MetricsPipeline.Host.Tests;

/// <summary>
/// kubectl and kustomize are not available here, so the manifests are checked as far as a YAML parser allows: every
/// resource parses, every reference resolves, and the consumer group never gets more replicas than partitions.
/// </summary>
public partial class KubernetesManifestTests
{
    private static readonly string Directory = Path.Combine(RepositoryPaths.Root, "deploy", "k8s");

    private static YamlMappingNode Load(string file)
    {
        var yaml = new YamlStream();
        using var reader = new StreamReader(Path.Combine(Directory, file));
        yaml.Load(reader);
        return (YamlMappingNode)yaml.Documents.Single().RootNode;
    }

    private static List<string> Resources() =>
        ((YamlSequenceNode)Load("kustomization.yaml")["resources"]).Children.Cast<YamlScalarNode>().Select(n => n.Value!).ToList();

    private static List<YamlMappingNode> All() => Resources().Select(Load).ToList();

    private static YamlMappingNode Find(string kind, string name) =>
        All().Single(r => S(r, "kind") == kind && S((YamlMappingNode)r["metadata"], "name") == name);

    private static string? S(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var v) ? (v as YamlScalarNode)?.Value : null;

    private static YamlMappingNode M(YamlNode node, params string[] path)
    {
        foreach (var key in path)
        {
            node = ((YamlMappingNode)node)[key];
        }

        return (YamlMappingNode)node;
    }

    private static int Partitions()
    {
        var script = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "deploy", "kafka", "create-topics.sh"));
        var fromScript = int.Parse(MetricsSpec().Match(script).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        var fromConfig = int.Parse(S(M(Find("ConfigMap", "metrics-pipeline-config"), "data"), "metrics-partitions")!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(fromScript, fromConfig);
        return fromScript;
    }

    [Fact]
    public void EveryResourceOfTheKustomizationExistsAndIsAKubernetesObject()
    {
        var resources = Resources();
        Assert.NotEmpty(resources);
        foreach (var file in resources)
        {
            var resource = Load(file);
            Assert.False(string.IsNullOrEmpty(S(resource, "apiVersion")), $"{file}: apiVersion");
            Assert.False(string.IsNullOrEmpty(S(resource, "kind")), $"{file}: kind");
            Assert.False(string.IsNullOrEmpty(S(M(resource, "metadata"), "name")), $"{file}: metadata.name");
        }

        var onDisk = System.IO.Directory.GetFiles(Directory, "*.yaml").Select(Path.GetFileName).Where(f => f != "kustomization.yaml");
        Assert.Equal(onDisk.Order(StringComparer.Ordinal), resources.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void TheAnalyticsReplicasAndTheScaledObjectStayWithinThePartitionCount()
    {
        var partitions = Partitions();
        var deployment = Find("Deployment", "metrics-pipeline-analytics");
        var replicas = int.Parse(S(M(deployment, "spec"), "replicas")!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(replicas, 1, partitions);

        var scaled = Find("ScaledObject", "metrics-pipeline-analytics");
        var spec = M(scaled, "spec");
        Assert.Equal(partitions, int.Parse(S(spec, "maxReplicaCount")!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.InRange(int.Parse(S(spec, "minReplicaCount")!, System.Globalization.CultureInfo.InvariantCulture), 1, partitions);
        Assert.Equal("Deployment", S(M(spec, "scaleTargetRef"), "kind"));
        Assert.Equal("metrics-pipeline-analytics", S(M(spec, "scaleTargetRef"), "name"));
        var trigger = (YamlMappingNode)((YamlSequenceNode)spec["triggers"]).Children.Single();
        Assert.Equal("kafka", S(trigger, "type"));
        var metadata = M(trigger, "metadata");
        Assert.Equal("metrics", S(metadata, "topic"));
        Assert.Equal("false", S(metadata, "allowIdleConsumers"));

        // The group KEDA watches is the group the pods join.
        var config = S(M(Find("ConfigMap", "metrics-pipeline-config"), "data"), "appsettings.json")!;
        Assert.Contains($"\"GroupId\": \"{S(metadata, "consumerGroup")}\"", config, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryConfigMapSecretAndPortTheWorkloadsReferenceExists()
    {
        var names = All().Select(r => (Kind: S(r, "kind"), Name: S(M(r, "metadata"), "name"))).ToHashSet();
        foreach (var workload in new[] { Find("Deployment", "metrics-pipeline-analytics"), Find("DaemonSet", "metrics-pipeline-agent") })
        {
            var pod = M(workload, "spec", "template");
            var selector = M(workload, "spec", "selector", "matchLabels");
            foreach (var (key, value) in selector.Children)
            {
                Assert.Equal(((YamlScalarNode)value).Value, S(M(pod, "metadata", "labels"), ((YamlScalarNode)key).Value!));
            }

            var text = Serialize(workload);
            Assert.NotEmpty(Reference().Matches(text));
            foreach (Match m in Reference().Matches(text))
            {
                var kind = m.Groups[1].Value == "configMapKeyRef" || m.Groups[1].Value == "configMap" ? "ConfigMap" : "Secret";
                Assert.Contains((kind, m.Groups[2].Value), names);
            }

            var container = (YamlMappingNode)((YamlSequenceNode)M(pod, "spec")["containers"]).Children[0];
            Assert.StartsWith("metricspipeline/pipeline:", S(container, "image"), StringComparison.Ordinal);
            Assert.Equal("true", S(M(pod, "spec", "securityContext"), "runAsNonRoot"));
        }

        var deploymentPod = M(Find("Deployment", "metrics-pipeline-analytics"), "spec", "template", "spec");
        var analytics = (YamlMappingNode)((YamlSequenceNode)deploymentPod["containers"]).Children[0];
        Assert.Equal("/healthz", S(M(analytics, "livenessProbe", "httpGet"), "path"));
        Assert.Equal("/readyz", S(M(analytics, "readinessProbe", "httpGet"), "path"));
        var portNames = ((YamlSequenceNode)analytics["ports"]).Children.Cast<YamlMappingNode>().Select(p => S(p, "name")).ToList();
        var service = Find("Service", "metrics-pipeline-analytics");
        var servicePort = (YamlMappingNode)((YamlSequenceNode)M(service, "spec")["ports"]).Children.Single();
        Assert.Contains(S(servicePort, "targetPort"), portNames);
        Assert.Equal("metrics-pipeline-analytics", S(M(service, "spec", "selector"), "app.kubernetes.io/name"));
    }

    private static string Serialize(YamlNode node)
    {
        var stream = new YamlStream(new YamlDocument(node));
        using var writer = new StringWriter();
        stream.Save(writer, assignAnchors: false);
        return writer.ToString();
    }

    [GeneratedRegex(@"metrics:(\d+)")]
    private static partial Regex MetricsSpec();

    [GeneratedRegex(@"(configMapKeyRef|secretKeyRef|configMap):\s+(?:key: \S+\s+)?name: (\S+)")]
    private static partial Regex Reference();
}
