using MetricsPipeline.Forecasting.Retraining;
using MetricsPipeline.Forecasting.Store;
using MetricsPipeline.Forecasting.Streaming;
using Xunit;

namespace MetricsPipeline.Forecasting.Tests;

/// <summary>
/// A stored model trained through a window the stream has not reached yet: the stream restarted (without its state, or
/// from an older checkpoint) and replays windows from its committed offsets while retrain already saw them in the history.
/// </summary>
public sealed class StreamAdoptAheadTests
{
    private static double Value(int minute) => StreamTestData.Rate(minute, 0);

    // A store whose version 1 was retrained on minutes 0..89 of the series (horizon 5).
    private static (string Root, ModelStore Store, string Key) StoreTrainedThroughMinute89()
    {
        var root = StreamTestData.TempDir();
        var store = new ModelStore(root);
        var key = StreamTestData.Observation(0, 0).SeriesKey;
        var values = Enumerable.Range(0, 90).Select(Value).ToArray();
        var starts = Enumerable.Range(0, 90).Select(m => StreamTestData.T0 + (m * StreamTestData.MinuteNs)).ToArray();
        Assert.NotNull(new ModelRetrainer(store) { Horizon = 5 }.Retrain(new SeriesHistory(0, "api", key, starts, values)).Stored);
        return (root, store, key);
    }

    // The stored version 1's forecast after it consumed minutes 90..100 exactly once.
    private static double[] StoredModelAfterMinute100(ModelStore store, string key)
    {
        var reference = store.Load(key, 1).Model;
        for (var m = 90; m <= 100; m++)
        {
            reference.Consume(Value(m));
        }

        var expected = new double[5];
        reference.Forecast(expected);
        return expected;
    }

    [Fact]
    public void WhenTheStoredModelIsAheadOfTheStreamThenTheReplayedWindowsItHasSeenAreNotConsumedAgain()
    {
        var (root, store, key) = StoreTrainedThroughMinute89();
        var engine = new StreamForecastEngine(StreamTestData.Options(root), store);
        var replayed = StreamTestData.Feed(engine, 80, 90); // minutes 80..89: the model was trained through 89
        var live = StreamTestData.Feed(engine, 90, 101);

        // Only minute 89, where the model's state ends, has a forecast of its own.
        Assert.Equal(StreamTestData.T0 + (89 * StreamTestData.MinuteNs), (Assert.Single(replayed).Origin - DateTimeOffset.UnixEpoch).Ticks * 100);
        Assert.Equal(11, live.Count);
        Assert.All(live, f => Assert.Equal("v1", f.ModelVersion));
        Assert.Equal(StoredModelAfterMinute100(store, key), live[^1].Value);
    }

    [Fact]
    public void WhenTheStreamIsCheckpointedWhileItsModelIsAheadThenTheRestoredStreamStillSkipsTheWindowsTheModelHasSeen()
    {
        var (root, store, key) = StoreTrainedThroughMinute89();
        var engine = new StreamForecastEngine(StreamTestData.Options(root), store);
        StreamTestData.Feed(engine, 80, 85);
        var restored = new StreamForecastEngine(StreamTestData.Options(root), store);
        restored.RestoreState(engine.SaveState());

        Assert.Single(StreamTestData.Feed(restored, 85, 90)); // minute 89 only, where the model's state ends
        var live = StreamTestData.Feed(restored, 90, 101);
        Assert.Equal(StoredModelAfterMinute100(store, key), live[^1].Value);
    }

    [Fact]
    public void WhenAVersion1EngineStateIsRestoredThenItsSeriesContinueAsTheyWould()
    {
        var engine = new StreamForecastEngine(StreamTestData.Options(), null);
        StreamTestData.Feed(engine, 0, 80);
        var state = engine.SaveState();
        // Version 1 is version 2 without each series' trailing ModelThroughNs and filled marks (8 + 120 bytes for a buffer of 120, before the refused count: 0).
        var v1 = state[..^132].Concat(state[^4..]).ToArray();
        v1[0] = 1;
        var restored = new StreamForecastEngine(StreamTestData.Options(), null);
        restored.RestoreState(v1);

        var expected = StreamTestData.Feed(engine, 80, 82);
        var actual = StreamTestData.Feed(restored, 80, 82);

        Assert.Equal(2, actual.Count);
        Assert.Equal(expected[^1].Value, actual[^1].Value);
        Assert.Equal(expected[^1].Upper, actual[^1].Upper);
    }
}
