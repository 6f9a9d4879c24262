using MetricsPipeline.Testing;
using Xunit;

namespace MetricsPipeline.FaultInjection.Tests;

/// <summary>
/// InfluxDB (a real influxd) stopped for a period while the fleet streams, then started again. The sink retries
/// with backoff; its buffer is small here (2,000 points) so the outage fills it, and closed windows then wait for
/// room (nothing dropped) instead of buffering without bound. Afterwards every window is in InfluxDB once, with
/// counts equal to the points produced, and the process's memory stayed bounded. Measured: the source does not stop
/// reading Kafka during a 12 s outage (longest stall ~1 s): records go into open windows, whose state is bounded by
/// the series count, and the waiting closed windows hold the rest; RSS is the bound that is asserted.
/// </summary>
public class InfluxOutageTests
{
    private const int BufferCapacity = 2000;

    [Fact]
    public async Task WhenInfluxDbIsDownForAWhileThenEveryWindowArrivesOnceWithBackpressureAndBoundedMemory()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var influx = await InfluxDbServer.StartAsync(stoppable: true, ct);
        await using var rig = await PipelineRig.StartAsync(ct);
        var database = "faults_" + Guid.NewGuid().ToString("N")[..8];
        var extra = new Dictionary<string, object>
        {
            ["InfluxDb"] = new Dictionary<string, string> { ["Url"] = influx.Url, ["Database"] = database, ["Timeout"] = "00:00:02" },
            ["Sink"] = new Dictionary<string, string> { ["BufferCapacity"] = BufferCapacity.ToString(System.Globalization.CultureInfo.InvariantCulture), ["MaxBatchSize"] = "500", ["MaxBackoff"] = "00:00:01" },
        };
        var run = rig.StartRun("run", "fault-influx", null, PipelineRig.FreePort(), extra);
        var fleet = rig.StartFleet("--services", "4", "--instances", "3", "--latency-samples", "10", "--history", "0s", "--duration", "25m", "--speed", "60");
        await PipelineRig.WaitUntilAsync(async () => await run.MetricAsync("pipeline_sink_written_total{sink=\"influxdb\"}", ct) > 0, TimeSpan.FromSeconds(60), () => rig.Logs, ct);

        var rssBefore = run.Process.ResidentBytes();
        await influx.StopAsync();
        long peakRss = 0;
        double peakBuffered = 0;
        var received = new List<(DateTime At, double Messages)>();
        // At least 12 s, and on until the buffer is half full (the backpressure asserted below), at most 60 s: on a
        // loaded machine the instance closes windows more slowly, and 12 s alone need not fill the buffer.
        var outageStart = DateTime.UtcNow;
        while (DateTime.UtcNow < outageStart + TimeSpan.FromSeconds(12)
            || (peakBuffered < BufferCapacity / 2 && DateTime.UtcNow < outageStart + TimeSpan.FromSeconds(60)))
        {
            var metrics = await PipelineRig.ScrapeAsync(run.Port, ct);
            peakBuffered = Math.Max(peakBuffered, metrics.GetValueOrDefault("pipeline_sink_buffered_points{sink=\"influxdb\"}"));
            received.Add((DateTime.UtcNow, metrics.GetValueOrDefault("pipeline_messages_received_total", -1)));
            peakRss = Math.Max(peakRss, run.Process.ResidentBytes());
            await Task.Delay(TimeSpan.FromMilliseconds(500), ct);
        }

        // Backpressure: once the buffer is full the source stops reading Kafka, although the fleet keeps producing.
        var stall = TimeSpan.Zero;
        for (var i = 0; i < received.Count; i++)
        {
            var j = i;
            while (j + 1 < received.Count && received[j + 1].Messages == received[i].Messages && received[i].Messages >= 0)
            {
                j++;
            }

            stall = stall > received[j].At - received[i].At ? stall : received[j].At - received[i].At;
        }

        var retries = await run.MetricAsync("pipeline_sink_retries_total{sink=\"influxdb\"}", ct);
        var outage = DateTime.UtcNow - outageStart;
        await influx.StartAgainAsync();
        var produced = await PipelineRig.WaitForFleetAsync(fleet, TimeSpan.FromSeconds(120), ct);
        await PipelineRig.WaitForDrainedAsync([run], 1, TimeSpan.FromSeconds(90), ct, () => rig.Logs);
        peakRss = Math.Max(peakRss, run.Process.ResidentBytes());
        var dropped = await run.MetricAsync("pipeline_sink_dropped_total{sink=\"influxdb\"}", ct);
        await run.StopAsync(ct);
        Numbers.Report("influx-outage", $"{outage.TotalSeconds:F0} s outage; sink retries {retries}, peak buffered {peakBuffered} (capacity {BufferCapacity}), longest stall in reading Kafka {stall.TotalSeconds:F1} s; RSS before {rssBefore / 1048576} MiB, peak {peakRss / 1048576} MiB");

        Assert.True(retries > 0, "the sink never retried: the outage did not hit a write\n" + rig.Logs);
        Assert.True(peakBuffered <= BufferCapacity, $"buffered {peakBuffered} points, above the capacity {BufferCapacity}");
        Assert.Equal(0, dropped);
        Assert.True(peakBuffered >= BufferCapacity / 2, $"the outage never filled the sink's buffer (peak {peakBuffered}): backpressure was not exercised");
        Assert.True(peakRss < rssBefore + (256L << 20), $"RSS grew from {rssBefore >> 20} MiB to {peakRss >> 20} MiB during the outage");

        foreach (var (measurement, field) in new[] { ("http_request", "latency_ms_count"), ("service", "cpu_percent_count") })
        {
            var result = await influx.QueryAsync(database, $"SELECT sum(\"{field}\"), count(\"{field}\") FROM \"{measurement}\" WHERE \"window\" = '10s'");
            var row = Assert.Single(Assert.Single(result.Series).Rows);
            Assert.Equal(produced.PointsByMeasurement[measurement], row[1].GetInt64());
        }
    }
}
