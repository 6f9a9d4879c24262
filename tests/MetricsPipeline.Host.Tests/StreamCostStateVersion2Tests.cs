using System.Text;
using System.Text.Json;
using MetricsPipeline.Analytics.Windows;
using MetricsPipeline.Host.Hosting;
using MetricsPipeline.Host.Stages;
using Xunit;
using static MetricsPipeline.Host.Tests.StageWindows;

namespace MetricsPipeline.Host.Tests;

/// <summary>
/// A cost checkpoint of version 2 (written before the day's instance and CPU × instance sums were kept) restores into
/// this build's version-3 cost state: the day so far is taken at the last window's count, as version 2 judged it, and
/// the windows after the restart add their own counts.
/// </summary>
public sealed class StreamCostStateVersion2Tests
{
    private static AggregateBatch Hour(int hour, int instances, double cpu) =>
        new([.. Enumerable.Range(0, 2).Select(i => new WindowResult(i, "service", [new("instance", $"api-{i}"), new("service", "api")], TimeSpan.FromMinutes(1), T0 + (hour * 60 * MinuteNs),
            [Stat("request_rate", 50), Stat("cpu_percent", cpu), Stat("memory_percent", 45), Stat("instances", instances)]))], [], T0 + (((hour * 60) + 1) * MinuteNs));

    private static (ScalingStage Stage, List<JsonElement> Alerts) NewStage()
    {
        var alerts = new List<JsonElement>();
        var stage = new ScalingStage(new ScalingStageOptions { PredictiveEnabled = false, AlertsEnabled = false, PricePerInstanceHour = 0.5 }, new PipelineSettings(), (topic, _, value) =>
        {
            if (topic == "cost-alerts")
            {
                alerts.Add(JsonDocument.Parse(value).RootElement.Clone());
            }
        });
        return (stage, alerts);
    }

    // 16 hours at 10 instances and 24 % CPU, then 8 at 2 instances and 12 %; hour 24 opens the next day.
    private static AggregateBatch Day(int hour) => Hour(hour, hour < 16 || hour == 24 ? 10 : 2, hour < 16 || hour == 24 ? 24 : 12);

    [Theory]
    [InlineData(1)]
    [InlineData(10)]
    public void WhenAVersion2CostCheckpointIsRestoredMidDayThenTheDayIsJudgedOnItsMeanFleet(int cut)
    {
        var (original, _) = NewStage();
        for (int hour = 0; hour < cut; hour++)
        {
            original.OnWindows(Day(hour));
        }

        var (restarted, alerts) = NewStage();
        restarted.RestoreState(CostAsVersion2(original.SaveState()));
        // Restored from version 2 and saved again, the state is what this build had written itself: the morning ran at
        // its last count (10) all along.
        Assert.Equal(original.SaveState(), restarted.SaveState());
        for (int hour = cut; hour <= 24; hour++)
        {
            restarted.OnWindows(Day(hour));
        }

        // As the uninterrupted stage (StreamCostRecommendationFleetTests): 7 instances at 22.9 %, 1461 a month.
        var recommendation = Assert.Single(alerts, a => a.GetProperty("type").GetString() == "recommendation" && a.GetProperty("scope").GetString() == "api");
        Assert.Equal(7, recommendation.GetProperty("reference").GetDouble());
        Assert.Equal(1461, recommendation.GetProperty("amount").GetDouble(), 2);
        Assert.Contains("runs 7 × default at 22.9%", recommendation.GetProperty("summary").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void WhenAVersion2CostCheckpointIsRestoredAfterTheEveningScaleInThenTheMorningCountsAtTheLastCount()
    {
        // Version 2 kept only the last count: restored at hour 20, the day so far is taken at 2 instances (as a version-2
        // build would have judged the whole day), the later hours at theirs. Mean (20 × 2 + 4 × 2) / 24 = 2 at CPU 20 %:
        // below 30 %, 1 instance would do; the saving is 1 × 0.5 × 730.5.
        var (original, _) = NewStage();
        for (int hour = 0; hour < 20; hour++)
        {
            original.OnWindows(Day(hour));
        }

        var (restarted, alerts) = NewStage();
        restarted.RestoreState(CostAsVersion2(original.SaveState()));
        for (int hour = 20; hour <= 24; hour++)
        {
            restarted.OnWindows(Day(hour));
        }

        var recommendation = Assert.Single(alerts, a => a.GetProperty("type").GetString() == "recommendation" && a.GetProperty("scope").GetString() == "api");
        Assert.Equal(2, recommendation.GetProperty("reference").GetDouble());
        Assert.Contains("runs 2 × default at 20%", recommendation.GetProperty("summary").GetString(), StringComparison.Ordinal);
    }

    // Rewrites the scaling-stage state's cost section as a version-2 build wrote it: no instance and CPU × instance sums.
    private static byte[] CostAsVersion2(byte[] stageState)
    {
        using var input = new BinaryReader(new MemoryStream(stageState), Encoding.UTF8);
        using var stream = new MemoryStream();
        using (var w = new BinaryWriter(stream, Encoding.UTF8))
        {
            w.Write(input.ReadByte());
            CopyBlock(input, w);
            CopyBlock(input, w);
            int services = input.ReadInt32();
            w.Write(services);
            for (int i = 0; i < services; i++)
            {
                w.Write(input.ReadString());
                w.Write(input.ReadBoolean());
                w.Write(input.ReadInt64());
                w.Write(input.ReadString());
            }

            CopyBlock(input, w);
            byte[] cost = CostVersion2(input.ReadBytes(input.ReadInt32()));
            w.Write(cost.Length);
            w.Write(cost);
            w.Write(input.ReadBoolean());
            w.Write(input.ReadInt64());
            // The sections after the last tick (the growth phases since stage version 5) as they are.
            w.Write(input.ReadBytes((int)(input.BaseStream.Length - input.BaseStream.Position)));
        }

        return stream.ToArray();
    }

    private static void CopyBlock(BinaryReader r, BinaryWriter w)
    {
        byte[] block = r.ReadBytes(r.ReadInt32());
        w.Write(block.Length);
        w.Write(block);
    }

    private static byte[] CostVersion2(byte[] v3)
    {
        using var r = new BinaryReader(new MemoryStream(v3), Encoding.UTF8);
        using var stream = new MemoryStream();
        using (var w = new BinaryWriter(stream, Encoding.UTF8))
        {
            Assert.Equal(3, r.ReadByte());
            w.Write((byte)2);
            int scopes = r.ReadInt32();
            w.Write(scopes);
            for (int s = 0; s < scopes; s++)
            {
                w.Write(r.ReadString());
                bool has = r.ReadBoolean();
                w.Write(has);
                if (has)
                {
                    w.Write(r.ReadInt32()); // day
                    w.Write(r.ReadInt32()); // first day
                    w.Write(r.ReadBoolean()); // first day partial
                    w.Write(r.ReadDouble()); // CPU sum
                    w.Write(r.ReadInt32()); // CPU count
                    w.Write(r.ReadInt32()); // instances (last window)
                    w.Write(r.ReadBoolean());
                    w.Write(r.ReadInt32());
                    w.Write(r.ReadDouble()); // forecast spend
                    int days = r.ReadInt32();
                    w.Write(days);
                    for (int d = 0; d < days; d++)
                    {
                        w.Write(r.ReadInt32());
                        w.Write(r.ReadDouble());
                        w.Write(r.ReadDouble());
                    }

                    w.Write(r.ReadBoolean());
                    w.Write(r.ReadInt32());
                    w.Write(r.ReadDouble()); // last recommendation
                    r.ReadDouble(); // instance sum: not in version 2
                    r.ReadDouble(); // CPU × instance sum: not in version 2
                }

                int sent = r.ReadInt32();
                w.Write(sent);
                for (int j = 0; j < sent; j++)
                {
                    w.Write(r.ReadString());
                }
            }

            Assert.Equal(r.BaseStream.Length, r.BaseStream.Position);
        }

        return stream.ToArray();
    }
}
