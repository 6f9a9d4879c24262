using MetricsPipeline.Forecasting.Streaming;
using Xunit;

namespace MetricsPipeline.Forecasting.Tests;

/// <summary>
/// A series whose stream training keeps failing backs off: once its buffer was full it used to retry on every window
/// (a training per window per such series), now the wait doubles from a quarter of the training size up to 4 × TrainSize.
/// </summary>
public sealed class StreamTrainingBackoffTests
{
    private static long Start(int minute) => StreamTestData.T0 + (minute * StreamTestData.MinuteNs);

    [Fact]
    public void WhenTrainingKeepsFailingThenTheRetriesBackOffAndTheSeriesTrainsOnceTrainingWorksAgain()
    {
        // Training fails on every attempt: the stream's own checks keep such options out, so they stand in here for a
        // series whose training throws. TrainSize 60, capacity 120: failures at windows 60, 75, 105, 165, 285, 525, 765
        // and 1005 (waits of 15, 30, 60, 120, then 240 windows).
        var options = StreamTestData.Options();
        options.ConfidenceLevel = 1.5f;
        var series = new OnlineSeriesForecaster(options, 0, "api", "requests", TimeSpan.FromMinutes(1));
        for (var m = 0; m < 1060; m++)
        {
            series.Observe(Start(m), StreamTestData.Rate(m, 0));
        }

        Assert.Null(series.Model);
        Assert.Equal(8, series.TrainFailures);

        // Training works again: the next attempt, 240 windows after the last failure (window 1245), trains.
        options.ConfidenceLevel = 0.95f;
        for (var m = 1060; m < 1244; m++)
        {
            series.Observe(Start(m), StreamTestData.Rate(m, 0));
        }

        Assert.Null(series.Model);
        Assert.True(series.WantsTraining);
        Assert.True(series.Observe(Start(1244), StreamTestData.Rate(1244, 0)));
        Assert.Equal(OnlineSeriesForecaster.OnlineVersion, series.ModelVersion);
        Assert.Equal(8, series.TrainFailures);
    }

    [Fact]
    public void WhenAGapFillBringsSeriesToTheirTrainingSizeThenNoMoreThanMaxTrainingsPerBatchTrain()
    {
        var options = StreamTestData.Options();
        options.MaxTrainingsPerBatch = 1;
        var engine = new StreamForecastEngine(options, null);
        string Key(int s) => $"service.request_rate.mean.1m|service=s{s}";
        for (var m = 0; m < 58; m++)
        {
            engine.Process(Enumerable.Range(0, 3).Select(s => StreamTestData.Observation(m, StreamTestData.Rate(m, s), Key(s))).ToList());
        }

        // 58 windows buffered each; minute 58 is missing, so minute 59 brings each series to 60 windows at once.
        engine.Process(Enumerable.Range(0, 3).Select(s => StreamTestData.Observation(59, StreamTestData.Rate(59, s), Key(s))).ToList());

        Assert.Equal(1, engine.ModelsTrained);
    }
}
