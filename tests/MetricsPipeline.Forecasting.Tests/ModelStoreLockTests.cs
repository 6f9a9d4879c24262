using System.Diagnostics;
using MetricsPipeline.Forecasting.Store;
using Xunit;

namespace MetricsPipeline.Forecasting.Tests;

/// <summary>
/// The store's writer lock waits only for another writer: a lock file that cannot be opened for any other reason fails
/// the save at once (it used to be retried for the whole <see cref="ModelStore.LockTimeout"/>, a minute by default).
/// </summary>
public sealed class ModelStoreLockTests
{
    private const string Key = "service.request_rate.mean.1m|service=api";

    [Fact]
    public void WhenTheLockFileCannotBeOpenedForAnotherReasonThenSaveFailsAtOnceSayingSo()
    {
        var root = StreamTestData.TempDir();
        // A dangling link into a missing directory: the file "exists", but opening it fails with DirectoryNotFound.
        File.CreateSymbolicLink(Path.Combine(root, "store.lock"), Path.Combine(root, "missing", "store.lock"));
        var store = new ModelStore(root) { LockTimeout = TimeSpan.FromSeconds(10) };

        var clock = Stopwatch.StartNew();
        var ex = Assert.Throws<IOException>(() => store.Save(Model(), Meta()));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"failed after {clock.Elapsed}");
        Assert.Contains("cannot open the lock file", ex.Message, StringComparison.Ordinal);
        Assert.Contains("not held by another writer", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WhenAnotherWriterHoldsTheLockThenSaveWaitsForItAndThenSaves()
    {
        var root = StreamTestData.TempDir();
        var store = new ModelStore(root) { LockTimeout = TimeSpan.FromSeconds(30) };
        var holder = new FileStream(Path.Combine(root, "store.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);

        var save = Task.Run(() => store.Save(Model(), Meta()));
        await Task.Delay(300, TestContext.Current.CancellationToken);
        Assert.False(save.IsCompleted, save.Exception?.ToString());
        await holder.DisposeAsync();

        var saved = await save.WaitAsync(TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken);
        Assert.Equal(1, saved.Version);
    }

    [Fact]
    public void WhenAnotherWriterHoldsTheLockPastTheTimeoutThenSaveFailsNamingTheTimeout()
    {
        var root = StreamTestData.TempDir();
        var store = new ModelStore(root) { LockTimeout = TimeSpan.FromMilliseconds(300) };
        using var holder = new FileStream(Path.Combine(root, "store.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);

        var ex = Assert.Throws<IOException>(() => store.Save(Model(), Meta()));

        Assert.Contains("could not lock", ex.Message, StringComparison.Ordinal);
    }

    private static SsaForecaster Model() =>
        SsaForecaster.Train(
            new SsaForecasterOptions { WindowSize = 12, SeriesLength = 13, TrainSize = 100, Horizon = 5, MaxRank = 6 },
            Enumerable.Range(0, 100).Select(m => StreamTestData.Rate(m, 1)).ToArray());

    private static ModelMetadata Meta() =>
        new(Key, 0, 0.5, [0.5], [0.1], [0.95], 12, 3, -1, StreamTestData.T0, 100, DateTimeOffset.UnixEpoch, false);
}
