using MetricsPipeline.Forecasting.Store;
using Xunit;

namespace MetricsPipeline.Forecasting.Tests;

/// <summary>Two <c>retrain</c> runs (say an overlapping cron job) saving into one store at the same time.</summary>
public sealed class ModelStoreConcurrencyTests
{
    private const string Key = "service.request_rate.mean.1m|service=api";

    [Fact]
    public void WhenSeveralWritersSaveAtOnceThenEverySaveGetsItsOwnVersionWithItsOwnCheckpointAndTheGenerationCountsThemAll()
    {
        const int writers = 4;
        const int savesEach = 15;
        var root = StreamTestData.TempDir();
        // One model per save, told apart by its score: the checkpoint stored under a version must be the one its metadata describes.
        var models = Enumerable.Range(1, writers * savesEach).ToDictionary(seed => (double)seed, seed => Model(seed));
        var expected = models.ToDictionary(p => p.Key, p => Forecast(p.Value));

        var failures = new System.Collections.Concurrent.ConcurrentQueue<Exception>();
        var threads = Enumerable.Range(0, writers).Select(w => new Thread(() =>
        {
            var store = new ModelStore(root);
            for (var i = 0; i < savesEach; i++)
            {
                double score = (w * savesEach) + i + 1;
                try
                {
                    store.Save(models[score], Meta(score));
                }
                catch (IOException ex)
                {
                    failures.Enqueue(ex);
                }
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());

        Assert.Empty(failures);

        var reader = new ModelStore(root);
        Assert.Equal(Enumerable.Range(1, writers * savesEach), reader.Versions(Key));
        var scores = new List<double>();
        foreach (var version in reader.Versions(Key))
        {
            var stored = reader.Load(Key, version);
            Assert.Equal(version, stored.Metadata.Version);
            Assert.Equal(expected[stored.Metadata.Score], Forecast(stored.Model));
            scores.Add(stored.Metadata.Score);
        }

        Assert.Equal(models.Keys.Order(), scores.Order());
        Assert.Equal(writers * savesEach, reader.Generation());
    }

    private static SsaForecaster Model(double seed) =>
        SsaForecaster.Train(
            new SsaForecasterOptions { WindowSize = 12, SeriesLength = 13, TrainSize = 100, Horizon = 5, MaxRank = 6 },
            Enumerable.Range(0, 100).Select(m => StreamTestData.Rate(m, (int)seed) * (1 + (seed / 100))).ToArray());

    private static double[] Forecast(SsaForecaster model)
    {
        var f = new double[5];
        model.Clone().Forecast(f);
        return f;
    }

    private static ModelMetadata Meta(double score) =>
        new(Key, 0, score, [score], [0.1], [0.95], 12, 3, -1, StreamTestData.T0, 100, DateTimeOffset.UnixEpoch, false);
}
