using MetricsPipeline.Analytics.Windows;
using MetricsPipeline.Forecasting;
using MetricsPipeline.Forecasting.Store;
using MetricsPipeline.Forecasting.Streaming;
using MetricsPipeline.Host.Forecasting;
using Microsoft.Extensions.Logging;
using Xunit;

namespace MetricsPipeline.Host.Tests;

/// <summary>The forecast stage tells the operator, in its log, when the model store holds a version it cannot use.</summary>
public sealed class ForecastStageModelLogTests
{
    private const long MinuteNs = 60_000_000_000;
    private const long T0 = 1_790_002_800L * 1_000_000_000;

    [Fact]
    public void WhenTheStoresCheckpointIsCorruptThenTheStageLogsAWarningNamingTheSeriesAndKeepsForecasting()
    {
        var root = Path.Combine(Path.GetTempPath(), $"mp-stage-models-{Guid.NewGuid():N}");
        var store = new ModelStore(root);
        const string key = "service.request_rate.mean.1m|service=api";
        var model = SsaForecaster.Train(
            new SsaForecasterOptions { WindowSize = 12, SeriesLength = 13, TrainSize = 60, Horizon = 4, MaxRank = 6, VariableHorizon = true },
            Enumerable.Range(0, 60).Select(m => 100 + (10 * Math.Sin(m / 5.0))).ToArray());
        store.Save(model, new ModelMetadata(key, 0, 0.5, [0.5], [0], [0.95], 12, model.Rank, -1, T0, 60, DateTimeOffset.UnixEpoch));
        File.WriteAllBytes(Path.Combine(root, ModelStore.DirectoryName(key), "v1.ssa"), [1, 2, 3]);
        var options = new StreamForecastOptions
        {
            Series = [new ForecastSeriesOptions { Name = "request_rate" }],
            Horizon = 4,
            TrainSize = 60,
            WindowSize = 12,
            MaxRank = 6,
            ModelDirectory = root,
        };
        var logger = new Recorder();
        var stage = new ForecastStage(new StreamForecastEngine(options, store), ["p50", "p90", "p95", "p99"], logger);

        var points = 0;
        for (var m = 0; m < 70; m++)
        {
            var window = new WindowResult(
                0, "service", [new("instance", "api-0"), new("service", "api")], TimeSpan.FromMinutes(1), T0 + (m * MinuteNs),
                [new WindowFieldStats("request_rate", 6, 6 * (100 + (10 * Math.Sin(m / 5.0))), 0, 1000, [1, 2, 3, 4])]);
            points += stage.OnWindows(new AggregateBatch([window], [], T0)).Count;
        }

        var warning = Assert.Single(logger.Entries, e => e.Level == LogLevel.Warning);
        Assert.StartsWith($"Forecast model store: {key}: v1 not loaded: ", warning.Message, StringComparison.Ordinal);
        Assert.Equal(1, stage.Engine.ModelLoadErrors);
        Assert.Equal("online", stage.Engine.SeriesByKey[key].ModelVersion);
        Assert.True(points > 0);
    }

    private sealed class Recorder : ILogger
    {
        public List<(LogLevel Level, string Message)> Entries { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Entries.Add((logLevel, formatter(state, exception)));
    }
}
