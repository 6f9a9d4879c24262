using System.Diagnostics;
using System.Text;
using MetricsPipeline.Agent.Collectd;
using MetricsPipeline.Ingest.LineProtocol;
using MetricsPipeline.Ingest.Model;
using MetricsPipeline.Kafka;
using MetricsPipeline.Testing;
using Xunit;

namespace MetricsPipeline.Agent.Tests;

/// <summary>Real programs writing to the pipeline's Kafka: kcat (by hand, and emulating Telegraf) and collectd.</summary>
[Collection(KafkaCollection.Name)]
public sealed class CompatibilityTests(KafkaFixture kafka)
{
    private const string Collectd = "/usr/sbin/collectd";

    /// <summary>
    /// Telegraf is not packaged in Debian, so kcat sends exactly what Telegraf's Kafka output sends with
    /// <c>data_format = "influx"</c> and <c>use_batch_format = true</c>: many lines per message, tags sorted by key,
    /// integer fields with <c>i</c>, strings quoted with <c>\"</c> escaped, spaces/commas/equals escaped in names,
    /// nanosecond timestamps, every line ending in <c>\n</c>.
    /// </summary>
    [Fact]
    public async Task WhenKcatSendsTelegrafBatchesThenEveryLineReadsBackUnchanged()
    {
        Kcat.Require();
        var topic = KafkaFixture.UniqueName("telegraf");
        await kafka.CreateTopicAsync(topic, 1);
        var telegraf = new StringBuilder();
        for (var i = 0; i < 200; i++)
        {
            telegraf.Append(FormattableString.Invariant($"cpu,cpu=cpu{i % 4},host=web\\ 01,region=eu-west usage_idle={90 + (i % 10)}.5,usage_user=3.25 {1_700_000_000_000_000_000L + (i * 10_000_000_000L)}\n"));
        }

        telegraf.Append("disk,device=sda1,fstype=ext4,host=web\\ 01,mode=rw,path=/var\\,log free=1024i,used_percent=42.5 1700000000000000000\n");
        telegraf.Append("syslog,appname=sshd,host=web\\ 01 message=\"Accepted key for \\\"root\\\" from 10.0.0.1\",severity_code=6i 1700000000000000000\n");
        await Kcat.ProduceOneMessageAsync(kafka.BootstrapServers, topic, telegraf.ToString());

        var consumed = await Kcat.ConsumeAllAsync(kafka.BootstrapServers, topic);
        Assert.Equal(telegraf.ToString(), consumed.TrimEnd('\n') + "\n");
        var payload = Encoding.UTF8.GetBytes(consumed);
        var reader = new LineProtocolReader(payload);
        var points = new List<MetricPoint>();
        while (reader.MoveNext())
        {
            Assert.True(reader.IsValid, reader.IsValid ? null : reader.Error.Describe());
            points.Add(reader.Current.ToMetricPoint());
        }

        Assert.Equal(202, points.Count);
        Assert.Equal("web 01", points[0].Tags.Single(t => t.Key == "host").Value);
        Assert.Equal("/var,log", points[200].Tags.Single(t => t.Key == "path").Value);
        Assert.Equal("Accepted key for \"root\" from 10.0.0.1", points[201].Fields[0].Value.AsString);
        Assert.Equal(1024, points[200].Fields[0].Value.AsInt64);
    }

    [Fact]
    public async Task WhenCollectdWritesJsonToKafkaThenTheBridgeTurnsItIntoLineProtocolOnTheMetricsTopic()
    {
        Kcat.Require();
        if (!File.Exists(Collectd) || !File.Exists("/usr/lib/collectd/write_kafka.so"))
        {
            if (KafkaFixture.IsCi)
            {
                Assert.Fail("collectd-core (with write_kafka) is not installed.");
            }

            Assert.Skip("collectd-core (with write_kafka) is not installed.");
        }

        var collectdTopic = KafkaFixture.UniqueName("collectd");
        var metricsTopic = KafkaFixture.UniqueName("metrics");
        await kafka.CreateTopicAsync(collectdTopic, 1);
        await kafka.CreateTopicAsync(metricsTopic, 2);
        var directory = Path.Combine(Path.GetTempPath(), "collectd-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var config = Path.Combine(directory, "collectd.conf");
        await File.WriteAllTextAsync(config, $"""
            Hostname "collectd-test"
            FQDNLookup false
            Interval 1
            BaseDir "{directory}"
            PIDFile "{directory}/collectd.pid"
            PluginDir "/usr/lib/collectd"
            TypesDB "/usr/share/collectd/types.db"
            LoadPlugin load
            LoadPlugin memory
            LoadPlugin write_kafka
            <Plugin write_kafka>
              Property "metadata.broker.list" "{kafka.BootstrapServers}"
              <Topic "{collectdTopic}">
                Format JSON
              </Topic>
            </Plugin>
            """ + "\n", TestContext.Current.CancellationToken);
        var start = new ProcessStartInfo(Collectd, $"-f -C {config}") { RedirectStandardInput = true, RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        using var collectd = Process.Start(start)!;
        var log = new StringBuilder();
        collectd.ErrorDataReceived += (_, e) => { lock (log) { log.AppendLine(e.Data); } };
        collectd.OutputDataReceived += (_, e) => { lock (log) { log.AppendLine(e.Data); } };
        collectd.BeginErrorReadLine();
        collectd.BeginOutputReadLine();

        var sourceOptions = new KafkaSourceOptions { BootstrapServers = kafka.BootstrapServers, Topic = collectdTopic, GroupId = KafkaFixture.UniqueName("bridge") };
        kafka.ApplyConsumerSettings(sourceOptions.Settings);
        await using var source = new KafkaSource(sourceOptions);
        await using var producer = new KafkaLineProducer(new KafkaProducerOptions { BootstrapServers = kafka.BootstrapServers, Topic = metricsTopic, LingerMs = 5 });
        var bridge = new CollectdBridge(source, producer);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var running = bridge.RunAsync(stop.Token);
        try
        {
            var deadline = Stopwatch.StartNew();
            while (bridge.LinesProduced < 8 && deadline.Elapsed < TimeSpan.FromSeconds(30) && !collectd.HasExited)
            {
                await Task.Delay(100, TestContext.Current.CancellationToken);
            }
        }
        finally
        {
            if (!collectd.HasExited)
            {
                collectd.Kill();
            }

            // Bounded like every wait in a test: a process that survives its kill fails here instead of hanging the run.
            await collectd.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
            await stop.CancelAsync();
            await running.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
            Directory.Delete(directory, recursive: true);
        }

        Assert.True(bridge.LinesProduced >= 8, "collectd output:\n" + log);

        // LinesProduced counts lines handed to the producer; stopping the bridge can cut its flush short, so the last
        // lines may still be on their way: deliver them before kcat reads to the end of the topic (it exits there).
        await producer.FlushAsync(TestContext.Current.CancellationToken);
        var lines = (await Kcat.ConsumeAllAsync(kafka.BootstrapServers, metricsTopic)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(lines, l => l.StartsWith("load_shortterm,host=collectd-test,type=load value=", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("memory_value,host=collectd-test,type=memory,type_instance=used value=", StringComparison.Ordinal));
        Assert.Equal(0, bridge.RecordsRejected);
    }

    [Fact]
    public void WhenCollectdJsonIsConvertedThenTheTelegrafNamingIsUsedAndGarbageIsRefused()
    {
        var json = """[{"values":[0.5,null],"dstypes":["gauge","gauge"],"dsnames":["rx","tx"],"time":1700000000.5,"interval":10.000,"host":"h","plugin":"interface","plugin_instance":"eth0","type":"if_octets","type_instance":""}]"""u8;
        Assert.True(CollectdJsonConverter.TryConvert(json, out var points, out _));
        Assert.Equal("interface_rx,host=h,instance=eth0,type=if_octets value=0.5 1700000000500000000\n", LineProtocolWriter.ToLine(Assert.Single(points)));
        Assert.False(CollectdJsonConverter.TryConvert("cpu v=1"u8, out _, out var error));
        Assert.NotNull(error);
        Assert.False(CollectdJsonConverter.TryConvert("""[{"values":[1]}]"""u8, out _, out _));
    }
}
