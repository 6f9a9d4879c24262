using MetricsPipeline.Decisions.Commands;
using MetricsPipeline.Decisions.Forecasts;
using MetricsPipeline.Decisions.Scaling;
using Xunit;

namespace MetricsPipeline.Decisions.Tests;

/// <summary>
/// The predictive policy's checkpoint (issue 9): restored at any point into a new policy it continues with exactly the
/// same commands; a merge takes only the accepted services; a snapshot of another configuration is refused.
/// </summary>
public sealed class PredictiveScalingStateTests
{
    // Calibrated after 20 evaluations, a 30-minute season and a 1-hour calibration window: by the cuts below every
    // candidate has levels, pending forecasts and scored errors, and the calibrated bound is in use.
    private static PredictiveScalingOptions Options(TimeSpan? season = null) => new()
    {
        CapacityPerInstance = 10,
        MinCalibrationSamples = 20,
        CalibrationWindow = TimeSpan.FromHours(1),
        SeasonalPeriod = season ?? TimeSpan.FromMinutes(30),
    };

    private static PredictiveScalingPolicy Policy(PredictiveScalingOptions? options = null) => new(options ?? Options(), _ => new Ramp());

    [Theory]
    [InlineData(35)]
    [InlineData(97)]
    public void WhenTheStateIsRestoredIntoANewPolicyThenItsCommandsContinueExactly(int cut)
    {
        var (expected, actual) = Continue(Policy(), Policy(), 180, cut, "api", "web");

        Assert.Contains(expected, e => e.Contains("forecast_upper_bound", StringComparison.Ordinal));
        Assert.Equal(expected, actual);
    }

    /// <summary>
    /// Runs <paramref name="original"/> for <paramref name="minutes"/>, restores its state into <paramref name="restored"/>
    /// at minute <paramref name="cut"/> (checking the snapshot reads back byte for byte), and returns both policies'
    /// commands from the cut on.
    /// </summary>
    private static (List<string> Expected, List<string> Actual) Continue(PredictiveScalingPolicy original, PredictiveScalingPolicy restored, int minutes, int cut, params string[] services)
    {
        var expected = new List<string>();
        var actual = new List<string>();
        for (var m = 0; m < minutes; m++)
        {
            if (m == cut)
            {
                var state = original.SaveState();
                restored.RestoreState(state);
                Assert.Equal(state, restored.SaveState());
            }

            foreach (var service in services)
            {
                var snapshot = Load(m, service);
                var command = original.Evaluate(snapshot);
                if (m >= cut)
                {
                    expected.Add(Describe(command));
                    actual.Add(Describe(restored.Evaluate(snapshot)));
                }
            }
        }

        return (expected, actual);
    }

    [Fact]
    public void WhenAServiceIsMergedThenOnlyItIsReplacedAndAForgottenServiceStartsClean()
    {
        var source = Policy();
        var target = Policy();
        for (var m = 0; m < 60; m++)
        {
            source.Evaluate(Load(m, "api"));
            source.Evaluate(Load(m, "web"));
            target.Evaluate(Load(m, "web") with { RequestRate = 50 });
        }

        var web = target.SaveState(s => s == "web");
        Assert.Equal(["api"], target.MergeState(source.SaveState(), s => s == "api"));
        Assert.Equal(source.SaveState(s => s == "api"), target.SaveState(s => s == "api"));
        Assert.Equal(web, target.SaveState(s => s == "web"));

        target.Forget("api");
        Assert.Equal(Policy().SaveState(), target.SaveState(s => s == "api"));
    }

    [Fact]
    public void WhenTheStateIsMalformedOrFromAnotherSeasonThenItIsRefusedAndTheStateIsUnchanged()
    {
        var source = Policy();
        for (var m = 0; m < 40; m++)
        {
            source.Evaluate(Load(m, "api"));
        }

        var state = source.SaveState();
        var target = Policy();
        var before = target.SaveState();
        Assert.Throws<FormatException>(() => target.RestoreState(state.AsSpan(0, state.Length - 5)));
        Assert.Throws<FormatException>(() => Policy(Options(TimeSpan.FromMinutes(20))).RestoreState(state));
        Assert.Equal(before, target.SaveState());
    }

    [Theory]
    [InlineData(97)]
    [InlineData(150)]
    public void WhenTheLossWindowsHaveWrappedThenARestoredPolicyContinuesBitForBit(int cut)
    {
        // A 20-minute loss window in three segments: by the cuts every candidate's window has wrapped (and re-summed).
        var original = Policy(WithLossWindow(Options()));
        var restored = Policy(WithLossWindow(Options()));
        var (expected, actual) = Continue(original, restored, 240, cut, "api");

        Assert.Equal(3, original.SaveState()[0]);
        Assert.Contains(expected, e => e.Contains("forecast_upper_bound", StringComparison.Ordinal));
        Assert.Equal(expected, actual);
        Assert.Equal(original.SaveState(), restored.SaveState());
        Assert.Throws<FormatException>(() => Policy(Options()).RestoreState(original.SaveState()));
    }

    [Fact]
    public void WhenAVersion2StateIsRestoredThenTheExponentialLossContinuesAsItsWriterDidAndAWindowIsSeededFromIt()
    {
        // Written by the session-8 policy (state version 2) after minutes 0–39 of Load(·, "api"), with the commands it
        // then emitted for minutes 40–119 (Fixtures/predictive-state-v2.*).
        var v2 = Version2Fixture();
        var written = File.ReadAllLines(Path.Combine(Fixtures, "predictive-state-v2.commands.txt"));
        Assert.Equal(2, v2[0]);
        Assert.Equal(80, written.Length);

        var exponential = Version2Policy(TimeSpan.Zero);
        var window = Version2Policy(TimeSpan.FromMinutes(10));
        exponential.RestoreState(v2);
        window.RestoreState(v2);
        var fromWindow = window.SaveState();
        Assert.Equal(3, fromWindow[0]);
        var again = Version2Policy(TimeSpan.FromMinutes(10));
        again.RestoreState(fromWindow);
        Assert.Equal(fromWindow, again.SaveState());

        var continued = new List<string>();
        var windowed = new List<string>();
        for (var m = 40; m < 120; m++)
        {
            var snapshot = Snapshots.At(m, 12, 50, rate: Rate(m, "api"));
            continued.Add(Describe(exponential.Evaluate(snapshot), withService: false));
            windowed.Add(Describe(window.Evaluate(snapshot), withService: false));
        }

        Assert.Equal(written, continued);
        // The window holds the stored loss once per scored error (a full window here), so one new score moves it as
        // the exponential mean over the same ten scores would: the first decision is the same.
        Assert.Equal(written[0], windowed[0]);
        Assert.All(windowed, w => Assert.Contains("forecast_upper_bound", w, StringComparison.Ordinal));
    }

    private static PredictiveScalingOptions WithLossWindow(PredictiveScalingOptions options)
    {
        options.LeadLossWindow = TimeSpan.FromMinutes(20);
        options.LeadLossSegments = 3;
        return options;
    }

    private static string Fixtures => Path.Combine(RepositoryFiles.Root, "tests", "MetricsPipeline.Decisions.Tests", "Fixtures");

    /// <summary>The session-8 (version 2) snapshot of <see cref="Version2Policy"/>'s configuration.</summary>
    internal static byte[] Version2Fixture() =>
        Convert.FromBase64String(File.ReadAllText(Path.Combine(Fixtures, "predictive-state-v2.b64")).Trim());

    /// <summary>A policy with the options the version-2 fixture was written with, and the given (version 3) loss window in one segment.</summary>
    internal static PredictiveScalingPolicy Version2Policy(TimeSpan lossWindow) => Policy(new()
    {
        CapacityPerInstance = 10,
        MinCalibrationSamples = 5,
        CalibrationWindow = TimeSpan.FromMinutes(10),
        SeasonalPeriod = TimeSpan.Zero,
        ErrorBudgetWindow = TimeSpan.FromMinutes(60),
        StabilizationWindow = TimeSpan.FromMinutes(5),
        ScaleInFloorWindow = TimeSpan.FromMinutes(10),
        LeadLossWindow = lossWindow,
        LeadLossSegments = 1,
    });

    // A 30-minute swing with a step up from minute 100: scale-outs, scale-ins and a calibrated bound.
    private static ServiceSnapshot Load(int minute, string service)
    {
        var rate = (service == "api" ? 100 : 60) + (30 * Math.Sin(2 * Math.PI * minute / 30.0)) + (minute >= 100 ? 80 : 0) + (minute * 7919 % 11);
        return Snapshots.At(minute, 12, 50, rate: rate, service: service);
    }

    // The version-2 fixture's load: the same swing with the step from minute 25.
    private static double Rate(int minute, string service) =>
        (service == "api" ? 100 : 60) + (30 * Math.Sin(2 * Math.PI * minute / 30.0)) + (minute >= 25 ? 80 : 0) + (minute * 7919 % 11);

    private static string Describe(ScalingCommand? command, bool withService = true) =>
        command is null ? "-" : $"{(withService ? command.Service + " " : "")}{command.Action} {command.CurrentInstances}->{command.TargetInstances} {command.Rule} {command.Reason}";

    // A forecaster with a forecast from its observations (the last value plus 10 %), so the forecaster candidate competes.
    private sealed class Ramp : ILoadForecaster
    {
        private double _last = double.NaN;

        public void Observe(DateTimeOffset time, double value) => _last = value;

        public LoadForecast? Forecast(DateTimeOffset now, TimeSpan lead) =>
            double.IsFinite(_last) ? new LoadForecast(now, lead, _last * 1.1, _last, _last * 1.3, 0.9, "ramp") : null;
    }
}
