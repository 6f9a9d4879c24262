using System.Buffers.Binary;
using MetricsPipeline.Forecasting.Retraining;
using MetricsPipeline.Forecasting.Store;
using MetricsPipeline.Forecasting.Streaming;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace MetricsPipeline.Forecasting.Tests;

/// <summary>
/// A running stream whose model store holds a bad newest version: it keeps forecasting with the model it has, says
/// which version it refused and why, and adopts the next good version.
/// </summary>
public sealed class ModelStoreFaultTests
{
    private static double Value(int minute) => StreamTestData.Rate(minute, 0);

    [Theory]
    [InlineData("random", "Corrupt")]
    [InlineData("empty", "Corrupt or truncated")]
    [InlineData("truncated", "Corrupt SSA checkpoint")]
    [InlineData("unknown-version", "Unknown SSA checkpoint version 99")]
    [InlineData("metadata", "metadata (v2.json) is unreadable")]
    public void WhenTheNewestVersionIsUnreadableThenTheRunningModelForecastsOnAndTheNoticeNamesIt(string fault, string reason)
    {
        var (store, time, engine, notices) = Running();
        var key = engine.SeriesByKey.Keys.Single();
        Assert.Equal("v1", StreamTestData.Feed(engine, 100, 101)[0].ModelVersion);

        Save(store, 0.4, false);
        Spoil(Path.Combine(store.Root, ModelStore.DirectoryName(key)), fault);
        time.Advance(TimeSpan.FromMinutes(1));

        var forecast = StreamTestData.Feed(engine, 101, 102).Single();
        Assert.Equal("v1", forecast.ModelVersion);
        Assert.All(forecast.Value, v => Assert.True(double.IsFinite(v)));
        Assert.Equal(1, engine.ModelLoadErrors);
        var notice = notices[^1];
        Assert.False(notice.Adopted);
        Assert.Equal(2, notice.Version);
        Assert.StartsWith($"{key}: v2 not loaded: ", notice.Message, StringComparison.Ordinal);
        Assert.True(notice.Message.Contains(reason, StringComparison.Ordinal), notice.Message);

        // The next good version is taken as usual.
        Save(store, 0.4, false);
        time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal("v3", StreamTestData.Feed(engine, 102, 103)[0].ModelVersion);
        Assert.True(notices[^1].Adopted);
        Assert.Equal($"{key}: v3 loaded (score 0.4000) in place of v1", notices[^1].Message);
    }

    [Fact]
    public void WhenANewVersionScoresWorseThenTheNoticeGivesBothScoresAndTheSwitchThatLoadsIt()
    {
        var (store, time, engine, notices) = Running();
        var key = engine.SeriesByKey.Keys.Single();

        Save(store, 0.9, false);
        time.Advance(TimeSpan.FromMinutes(1));

        Assert.Equal("v1", StreamTestData.Feed(engine, 100, 101)[0].ModelVersion);
        Assert.Equal(1, engine.ModelsRejected);
        Assert.Equal(
            $"{key}: v2 not loaded: it scores 0.9000 (mean MASE), worse than the running v1's 0.5000; retrain --promote or Analytics:Forecasting:AcceptWorseModels loads it",
            notices[^1].Message);
        Assert.False(notices[^1].Adopted);
    }

    [Theory]
    [InlineData(false, false, "v1")]
    [InlineData(true, false, "v2")]
    [InlineData(false, true, "v2")]
    public void WhenTheStreamRestartsThenItTakesTheVersionItKeptNotANewerOneThatScoresWorse(bool force, bool acceptWorse, string expected)
    {
        var root = StreamTestData.TempDir();
        var store = new ModelStore(root);
        Save(store, 0.5, false);
        Save(store, 0.9, force);
        var options = StreamTestData.Options(root);
        options.AcceptWorseModels = acceptWorse;
        var engine = new StreamForecastEngine(options, store, new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddYears(56)));
        var notices = new List<ModelReloadNotice>();
        engine.ModelNotice = notices.Add;

        Assert.Equal(expected, StreamTestData.Feed(engine, 60, 61).Single().ModelVersion);
        Assert.Equal(expected == "v1" ? 1 : 0, engine.ModelsRejected);
        Assert.Equal($"{expected} loaded", notices[^1].Message.Split(": ")[1][..($"{expected} loaded".Length)]);
    }

    // A stream on minutes 0..99 that adopted v1 (score 0.5) when its series appeared.
    private static (ModelStore Store, FakeTimeProvider Time, StreamForecastEngine Engine, List<ModelReloadNotice> Notices) Running()
    {
        var root = StreamTestData.TempDir();
        var store = new ModelStore(root);
        Save(store, 0.5, false);
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddYears(56));
        var engine = new StreamForecastEngine(StreamTestData.Options(root), store, time);
        var notices = new List<ModelReloadNotice>();
        engine.ModelNotice = notices.Add;
        StreamTestData.Feed(engine, 0, 100);
        Assert.Equal(1, engine.ModelsLoaded);
        Assert.Equal("v1", engine.SeriesByKey.Values.Single().ModelVersion);
        return (store, time, engine, notices);
    }

    private static void Save(ModelStore store, double score, bool force)
    {
        var key = StreamTestData.Observation(0, 0).SeriesKey;
        var model = SsaForecaster.Train(
            new SsaForecasterOptions { WindowSize = 12, SeriesLength = 13, TrainSize = 60, Horizon = 5, MaxRank = 6, VariableHorizon = true },
            Enumerable.Range(0, 60).Select(Value).ToArray());
        store.Save(model, new ModelMetadata(key, 0, score, [score], [0], [0.95], 12, model.Rank, -1, StreamTestData.T0 + (59 * StreamTestData.MinuteNs), 60, DateTimeOffset.UnixEpoch, force));
    }

    private static void Spoil(string dir, string fault)
    {
        var ssa = Path.Combine(dir, "v2.ssa");
        var bytes = File.ReadAllBytes(ssa);
        switch (fault)
        {
            case "random":
                // Keep the magic number and version so the reader gets past the header into garbage.
                new Random(3).NextBytes(bytes.AsSpan(8));
                File.WriteAllBytes(ssa, bytes);
                break;
            case "empty":
                File.WriteAllBytes(ssa, []);
                break;
            case "truncated":
                File.WriteAllBytes(ssa, bytes[..(bytes.Length / 2)]);
                break;
            case "unknown-version":
                BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(4), 99);
                File.WriteAllBytes(ssa, bytes);
                break;
            default:
                File.WriteAllText(Path.Combine(dir, "v2.json"), "{ \"SeriesKey\": ");
                break;
        }
    }
}
