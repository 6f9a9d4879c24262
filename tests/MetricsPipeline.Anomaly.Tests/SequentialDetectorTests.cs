using MetricsPipeline.Anomaly.Sequential;
using Xunit;

namespace MetricsPipeline.Anomaly.Tests;

public sealed class SequentialDetectorTests
{
    private static double[] Noise(int n, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => 5 + random.NextDouble()).ToArray();
    }

    [Fact]
    public void WhenASpikeFollowsAFullHistoryThenOnlyTheSpikeAlerts()
    {
        var data = Noise(60, 1);
        data[40] = 50;
        var detector = new IidSpikeDetector(new IidSpikeDetectorOptions { Confidence = 95, PvalueHistoryLength = 20 });
        var outputs = data.Select(detector.Next).ToArray();
        Assert.True(outputs[40].Alert);
        Assert.Equal(50, outputs[40].Score);
        Assert.True(outputs[40].PValue < 1e-3);
        Assert.InRange(outputs.Count(o => o.Alert), 1, 3);
        Assert.All(outputs, o => Assert.InRange(o.AnomalyScore, 0, 1));
    }

    [Fact]
    public void WhenTheHistoryIsNotYetFullThenNoAlertIsRaised()
    {
        var detector = new IidSpikeDetector(new IidSpikeDetectorOptions { Confidence = 95, PvalueHistoryLength = 10 });
        var outputs = new[] { 1.0, 1, 1, 1, 100, 1, 1, 1, 1, 1 }.Select(detector.Next).ToArray();
        Assert.True(outputs[4].PValue < 0.05);
        Assert.DoesNotContain(outputs, o => o.Alert);
    }

    [Fact]
    public void WhenTheSideIsPositiveThenADipDoesNotAlert()
    {
        var data = Noise(60, 2);
        data[40] = -50;
        var detector = new IidSpikeDetector(new IidSpikeDetectorOptions { Confidence = 99, PvalueHistoryLength = 20, Side = AnomalySide.Positive });
        Assert.False(data.Select(detector.Next).ToArray()[40].Alert);
    }

    [Fact]
    public void WhenTheLevelStepsThenTheMartingaleMatchesTheHandComputationAndAlertsOnTheSecondShiftedRow()
    {
        // Constant 5 then constant 7, W = 8. At row 30 the buffer has zero spread, so p clamps to 1e-8; the window holds
        // seven neutral bets. At row 31 p is about 0.064 and the martingale crosses exp(8 log b(0.05)) = 23.3.
        var data = Enumerable.Repeat(5.0, 30).Concat(Enumerable.Repeat(7.0, 30)).ToArray();
        var detector = new IidChangePointDetector(new IidChangePointDetectorOptions { Confidence = 95, ChangeHistoryLength = 8 });
        var outputs = data.Select(detector.Next).ToArray();
        var neutral = 0.1 * Math.Pow(0.4999999995, -0.9);
        var expected = Math.Pow(neutral, 7) * 0.1 * Math.Pow(1e-8, -0.9);
        Assert.Equal(1.0, outputs[30].Martingale / expected, 6);
        Assert.False(outputs[30].Alert);
        var alerts = outputs.Select((o, i) => (o, i)).Where(x => x.o.Alert).Select(x => x.i).ToArray();
        Assert.Equal(31, alerts[0]);
        Assert.All(alerts.Zip(alerts.Skip(1)), pair => Assert.True(pair.Second - pair.First >= 8));
        Assert.True(outputs[31].Martingale >= detector.MartingaleThreshold);
    }

    [Fact]
    public void WhenAFirstValueArrivesThenTheChangePointOutputsMatchTheHandComputation()
    {
        var detector = new IidChangePointDetector(new IidChangePointDetectorOptions { ChangeHistoryLength = 4 });
        var o = detector.Next(3);
        Assert.Equal(0.5, o.PValue);
        Assert.Equal(Math.Pow(0.1 * Math.Pow(0.5, -0.9), 4), o.Martingale, 9);
        Assert.False(o.Alert);
    }

    [Fact]
    public void WhenAPredictionSourceIsUsedThenTheRawScoreIsTheErrorAgainstTheForecastMadeBeforeThePoint()
    {
        var source = new LastValueSource();
        var batch = new PredictionErrorDetector(source, new PredictionErrorDetectorOptions { HistoryLength = 5 });
        batch.Next(1);
        Assert.Equal(2, batch.Next(3).Score);

        var engine = new PredictionErrorDetector(new LastValueSource(), new PredictionErrorDetectorOptions { HistoryLength = 5, EngineMode = true });
        engine.Next(1);
        Assert.Equal(0, engine.Next(3).Score);
    }

    [Theory]
    [InlineData(ErrorFunction.SignedDifference, -2.0)]
    [InlineData(ErrorFunction.AbsoluteDifference, 2.0)]
    [InlineData(ErrorFunction.SignedProportion, -0.5)]
    [InlineData(ErrorFunction.AbsoluteProportion, 0.5)]
    [InlineData(ErrorFunction.SquaredDifference, 4.0)]
    public void WhenAnErrorFunctionIsAppliedThenItFollowsMlNet(ErrorFunction function, double expected) =>
        Assert.Equal(expected, PredictionErrorDetector.Error(function, 2, 4), 6);

    private sealed class LastValueSource : IPredictionErrorSource
    {
        public float NextPrediction { get; private set; }

        public void Consume(float value) => NextPrediction = value;

        public void SaveCheckpoint(BinaryWriter writer) => writer.Write(NextPrediction);

        public void RestoreCheckpoint(BinaryReader reader) => NextPrediction = reader.ReadSingle();
    }
}
