using System.Text.Json;
using CsCheck;
using MetricsPipeline.Decisions.Alerts;
using MetricsPipeline.Decisions.Commands;
using MetricsPipeline.Decisions.Scaling;
using Xunit;

namespace MetricsPipeline.Host.Tests;

/// <summary>Round trips of the decision state: a policy or alert evaluator restored mid-stream decides as the original does.</summary>
public sealed class CheckpointStateTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    // A few services' minutes of load: CPU, memory, errors, latency drift and spike, so cooldowns, stabilisation and
    // alerts all come into play.
    private static readonly Gen<(double[] Cpu, int Cut)> Load =
        Gen.Select(Gen.Double[5, 99].Array[60, 180], Gen.Int[1, 59]);

    [Fact]
    public void WhenTheReactivePolicyIsRestoredMidStreamThenItIssuesTheSameCommandsAsTheOriginal() =>
        Load.Sample(t =>
        {
            var (cpu, cut) = t;
            var original = new ReactiveScalingPolicy();
            var restored = new ReactiveScalingPolicy();
            var expected = new List<string>();
            var actual = new List<string>();
            int instancesA = 4, instancesB = 4;
            for (var i = 0; i < cpu.Length; i++)
            {
                if (i == cut)
                {
                    // The copy sees nothing before the cut: all it knows comes from the snapshot.
                    restored.RestoreState(original.SaveState());
                    instancesB = instancesA;
                }

                if (original.Evaluate(Snapshot(i, cpu[i], instancesA)) is { } a)
                {
                    instancesA = a.TargetInstances;
                    if (i >= cut)
                    {
                        expected.Add(ScalingCommandJson.ToJson(a));
                    }
                }

                if (i >= cut && restored.Evaluate(Snapshot(i, cpu[i], instancesB)) is { } b)
                {
                    instancesB = b.TargetInstances;
                    actual.Add(ScalingCommandJson.ToJson(b));
                }
            }

            Assert.Equal(expected, actual);
        });

    [Fact]
    public void WhenTheAlertEvaluatorIsRestoredMidStreamThenItEmitsTheSameAlertsAsTheOriginal() =>
        Load.Sample(t =>
        {
            var (cpu, cut) = t;
            var original = new ThresholdAlertEvaluator();
            var restored = new ThresholdAlertEvaluator();
            var expected = new List<string>();
            var actual = new List<string>();
            for (var i = 0; i < cpu.Length; i++)
            {
                if (i == cut)
                {
                    restored.RestoreState(original.SaveState());
                }

                var a = original.Evaluate(Snapshot(i, cpu[i], 4));
                if (i >= cut)
                {
                    expected.AddRange(a.Select(x => JsonSerializer.Serialize(x)));
                    actual.AddRange(restored.Evaluate(Snapshot(i, cpu[i], 4)).Select(x => JsonSerializer.Serialize(x)));
                }
            }

            Assert.Equal(expected, actual);
        });

    [Fact]
    public void WhenTheStateIsGarbageThenRestoringThrowsAFormatExceptionAndKeepsTheState() =>
        Gen.Byte.Array[0, 200].Sample(garbage =>
        {
            var policy = new ReactiveScalingPolicy();
            policy.Evaluate(Snapshot(0, 95, 4));
            var before = policy.SaveState();
            if (garbage.Length > 0 && garbage[0] == 1)
            {
                garbage[0] = 2;
            }

            Assert.Throws<FormatException>(() => policy.RestoreState(garbage));
            Assert.Throws<FormatException>(() => new ThresholdAlertEvaluator().RestoreState(garbage));
            Assert.Equal(before, policy.SaveState());
        });

    private static ServiceSnapshot Snapshot(int minute, double cpu, int instances) =>
        new("checkout", Start.AddMinutes(minute), instances)
        {
            CpuPercent = cpu,
            MemoryPercent = 40 + (cpu / 3),
            ErrorRatePercent = cpu > 90 ? 6 : 0.2,
            RequestRate = cpu * 10 * instances,
            LatencyP95Ms = 100 + (cpu * 5),
            LatencyP99Ms = 200 + (cpu * 8),
            QueueDepth = cpu > 80 ? 500 : 10,
        };
}
