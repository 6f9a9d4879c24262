using MetricsPipeline.Forecasting.Store;
using Xunit;

namespace MetricsPipeline.Forecasting.Tests;

public sealed class ModelStoreTests
{
    private static SsaForecaster Model(int seed) =>
        SsaForecaster.Train(
            new SsaForecasterOptions { WindowSize = 12, SeriesLength = 13, TrainSize = 100, Horizon = 5, MaxRank = 6, VariableHorizon = true },
            Enumerable.Range(0, 100).Select(m => StreamTestData.Rate(m, seed)).ToArray());

    private static ModelMetadata Meta(string key, double score, bool force = false) =>
        new(key, 0, score, [score], [0.1], [0.95], 12, 3, -1, StreamTestData.T0, 100, DateTimeOffset.UnixEpoch, force);

    [Fact]
    public void WhenModelsAreSavedThenVersionsAndTheGenerationIncreaseAndTheLatestLoadsIdentically()
    {
        var store = new ModelStore(StreamTestData.TempDir());
        const string key = "service.request_rate.mean.1m|service=a/b c";
        Assert.Equal(0, store.Generation());
        Assert.Null(store.LoadLatest(key));

        store.Save(Model(1), Meta(key, 0.9));
        var second = Model(2);
        var saved = store.Save(second, Meta(key, 0.8));

        Assert.Equal(2, saved.Version);
        Assert.Equal([1, 2], store.Versions(key));
        Assert.Equal(2, store.Generation());
        var loaded = store.LoadLatest(key)!;
        Assert.Equal(2, loaded.Metadata.Version);
        Assert.Equal(0.8, loaded.Metadata.Score);
        var (a, b) = (new double[5], new double[5]);
        second.Forecast(a);
        loaded.Model.Forecast(b);
        Assert.Equal(a, b);
    }

    [Fact]
    public void WhenAVersionHasNoMetadataYetThenItIsIgnored()
    {
        var root = StreamTestData.TempDir();
        var store = new ModelStore(root);
        const string key = "k";
        store.Save(Model(1), Meta(key, 1));
        var dir = Path.Combine(root, ModelStore.DirectoryName(key));
        File.Copy(Path.Combine(dir, "v1.ssa"), Path.Combine(dir, "v2.ssa"));

        Assert.Equal([1], store.Versions(key));
    }

    [Theory]
    [InlineData(0.5, 0.7, false, false, true)]
    [InlineData(0.7, 0.5, false, false, false)]
    [InlineData(0.7, 0.5, true, false, true)]
    [InlineData(0.7, 0.5, false, true, true)]
    [InlineData(0.7, double.NaN, false, false, true)]
    [InlineData(double.NaN, 0.5, false, false, false)]
    public void WhenScoresAreComparedThenOnlyABetterKnownScoreOrAnOverrideWins(double candidate, double current, bool force, bool acceptWorse, bool expected) =>
        Assert.Equal(expected, Meta("k", candidate, force).Beats(current, acceptWorse));
}
