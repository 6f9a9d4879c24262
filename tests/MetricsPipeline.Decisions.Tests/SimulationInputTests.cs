using MetricsPipeline.Decisions.Simulation;
using Xunit;

namespace MetricsPipeline.Decisions.Tests;

/// <summary>Bad simulator input fails with a message that says what is wrong, instead of running on something else.</summary>
public sealed class SimulationInputTests
{
    private static string WriteConfig(string json)
    {
        string path = Path.Combine(Path.GetTempPath(), $"policy-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json);
        return path;
    }

    private static ArgumentException ParseFails(string json)
    {
        string path = WriteConfig(json);
        try
        {
            return Assert.Throws<ArgumentException>(() => SimulationPolicy.Parse(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void WhenAConfigKeyIsMisspeltThenParsingFailsNamingIt()
    {
        // Before: the typo was ignored and the run used the default target under the config's name.
        var e = ParseFails("""{"policy": "reactive", "reactive": {"target_cpu_percnt": 60}}""");
        Assert.Contains("target_cpu_percnt", e.Message, StringComparison.Ordinal);
        var top = ParseFails("""{"polcy": "predictive"}""");
        Assert.Contains("polcy", top.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WhenAConfigNumberIsTheStringNaNThenParsingFails()
    {
        // Before: "NaN" passed every "must be positive" check (NaN <= 0 is false) and the run scaled on nonsense.
        var e = ParseFails("""{"policy": "reactive", "reactive": {"target_cpu_percent": "NaN"}}""");
        Assert.Contains("target_cpu_percent", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WhenAConfigNamesAnUnknownPolicyThenTheMessageListsTheKinds()
    {
        // Before: "The JSON value could not be converted to MetricsPipeline.Decisions.Simulation.SimulationPolicyKind."
        var e = ParseFails("""{"policy": "reactiv"}""");
        Assert.EndsWith("\"policy\" must be one of static, reactive, hpa, predictive.", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WhenAConfigUsesOnlyKnownKeysThenItStillParses()
    {
        string path = WriteConfig("""{"name": "n", "policy": "predictive", "predictive": {"scale_in_headroom": 0.1, "stabilization_window": "00:20:00"}, "forecaster": {}}""");
        try
        {
            var policy = SimulationPolicy.Parse(path);
            Assert.Equal(SimulationPolicyKind.Predictive, policy.Kind);
            Assert.Equal(0.1, policy.Predictive!.ScaleInHeadroom);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void WhenCsvRowsAreOutOfTimeOrderThenReadingFailsAtTheRow()
    {
        // Before: the rows were sorted quietly, hiding a wrong or concatenated file.
        var e = Assert.Throws<FormatException>(() => LoadTrace.ReadCsv(
            new StringReader("timestamp,value\n2020-01-01 00:05:00,5\n2020-01-01 00:00:00,6\n2020-01-01 00:10:00,7\n"), "unsorted"));
        Assert.StartsWith("unsorted:3:", e.Message, StringComparison.Ordinal);
        Assert.Contains("time order", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WhenCsvRowsRepeatATimestampThenTheLastRowIsKept()
    {
        // Equal timestamps are not out of order (one NAB dev trace has one); the documented rule keeps the last value.
        var trace = LoadTrace.ReadCsv(new StringReader("timestamp,value\n2020-01-01 00:00:00,5\n2020-01-01 00:00:00,6\n2020-01-01 00:05:00,7\n"), "dup");
        Assert.Equal([6.0, 7.0], trace.Points.Select(p => p.Load));
        Assert.Equal((1, "dup:3: '2020-01-01 00:00:00,6'"), (trace.DuplicateRows, trace.FirstDuplicate));
        var clean = LoadTrace.ReadCsv(new StringReader("timestamp,value\n2020-01-01 00:00:00,5\n2020-01-01 00:05:00,7\n"), "ok");
        Assert.Equal(0, clean.DuplicateRows);
        Assert.Null(clean.FirstDuplicate);
    }

    [Fact]
    public void WhenATraceHasAGapOfYearsThenItFailsNamingTheGap()
    {
        // Before: 5 years between the third and fourth 5-minute rows were simulated as 2.6 million interpolated minutes (26 s).
        var e = Assert.Throws<ArgumentException>(() => LoadTrace.ReadCsv(
            new StringReader("timestamp,value\n2020-01-01 00:00:00,5\n2020-01-01 00:05:00,5\n2020-01-01 00:10:00,5\n2025-01-01 00:00:00,5\n"), "gap"));
        Assert.StartsWith("gap: ", e.Message, StringComparison.Ordinal);
        Assert.Contains("2020-01-01 00:10:00Z to 2025-01-01 00:00:00Z", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Parameter", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WhenGapsAreAsLongAsInTheDevelopmentTracesThenTheTraceIsAccepted()
    {
        // NAB occupancy_6005: ~2 400 5-minute rows with gaps of up to ~1 000 slots span about 2 slots per row.
        var points = Enumerable.Range(0, 100).Select(i => (new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero).AddMinutes((5 * i) + (i >= 50 ? 5 * 1000 : 0)), 10.0));
        var trace = new LoadTrace("gappy", points);
        Assert.Equal(TimeSpan.FromMinutes(5), trace.MedianInterval);
    }

    [Fact]
    public void WhenTwoRowsAreCenturiesApartThenResamplingFailsWithTheSpanInsteadOfOverflowing()
    {
        // Before: an OverflowException with a stack trace from the CLI.
        var trace = LoadTrace.ReadCsv(new StringReader("timestamp,value\n2020-01-01 00:00:00,5\n9999-01-01 00:00:00,5\n"), "huge");
        var e = Assert.Throws<ArgumentException>(() => new ClosedLoopSimulator().Run(trace, SimulationPolicy.Parse("static")));
        Assert.Contains("more than the 10000000 a run allows", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WhenAFileHasOnlyAHeaderThenTheMessageNamesTheFile()
    {
        var e = Assert.Throws<ArgumentException>(() => LoadTrace.ReadCsv(new StringReader("timestamp,value\n"), "empty"));
        Assert.Equal("empty: A trace needs at least two points at different times.", e.Message);
    }

    [Fact]
    public void WhenCommentAndBlankLinesPrecedeTheHeaderThenTheTraceIsRead()
    {
        // Before: only line 1 could be the header, so a file opening with a '#' comment failed at its header line as a malformed row.
        var trace = LoadTrace.ReadCsv(new StringReader("# api requests/s, exported 2020-01-02\n\n  \ntimestamp,value\n2020-01-01 00:00:00,5\n# a note\n2020-01-01 00:05:00,7\n"), "commented");
        Assert.Equal([5.0, 7.0], trace.Points.Select(p => p.Load));
    }

    [Fact]
    public void WhenTheHeaderIsNotTheFirstLineThenTheMessageSaysWhichLineWasTakenAsTheHeader()
    {
        // Before: "expected 'timestamp,value', got 'timestamp,value'", which does not say what is wrong.
        var e = Assert.Throws<FormatException>(() => LoadTrace.ReadCsv(new StringReader("load of the api\ntimestamp,value\n2020-01-01 00:00:00,5\n2020-01-01 00:05:00,7\n"), "titled"));
        Assert.StartsWith("titled:2: expected 'timestamp,value', got 'timestamp,value'", e.Message, StringComparison.Ordinal);
        Assert.Contains("line 1 ('load of the api') was taken as the header", e.Message, StringComparison.Ordinal);
        Assert.Contains("'#'", e.Message, StringComparison.Ordinal);
    }
}
