using System.Text;
using MetricsPipeline.Ingest.LineProtocol;
using MetricsPipeline.Ingest.Model;
using Xunit;

namespace MetricsPipeline.Ingest.Tests.LineProtocol;

public class TelegrafMessageTests
{
    [Fact]
    public void WhenATelegrafBatchMessageIsParsedThenEveryLineIsAValidPoint()
    {
        var result = LineProtocolParser.Parse(TelegrafSamples.Batch);

        Assert.Empty(result.Errors);
        Assert.Equal(TelegrafSamples.BatchLines, result.Points.Count);
        Assert.All(result.Points, p => Assert.Equal(TelegrafSamples.Timestamp, p.TimestampNs));
        Assert.All(result.Points, p => Assert.NotNull(p.GetTag("host")));
    }

    [Fact]
    public void WhenATelegrafBatchIsParsedThenValuesKeepTheirTypesAndEscapes()
    {
        var points = LineProtocolParser.Parse(TelegrafSamples.Batch).Points;

        var cpu = points.Single(p => p.Measurement == "cpu" && p.GetTag("cpu") == "cpu-total");
        Assert.Equal(91.98396793587175, cpu.GetField("usage_idle")!.Value.AsDouble);
        var mem = points.Single(p => p.Measurement == "mem");
        Assert.Equal(FieldValue.FromInt64(8289726464), mem.GetField("total"));
        Assert.Equal("/mnt/backup disk", points.Single(p => p.GetTag("device") == "sdb1").GetTag("path"));
        Assert.Equal(" 3 days,  4:05", points.Single(p => p.GetField("uptime_format") is not null).GetField("uptime_format")!.Value.AsString);
        Assert.Equal(FieldValue.FromUInt64(273900), points.Single(p => p.GetField("uptime") is not null).GetField("uptime"));
        Assert.Equal("Windows Update", points.Single(p => p.Measurement == "win_services").GetTag("display_name"));
        var procstat = points.Single(p => p.Measurement == "procstat");
        Assert.Equal(FieldValue.FromBoolean(true), procstat.GetField("running"));
        Assert.Equal("/usr/bin/dotnet /app/MetricsPipeline.dll --config=/etc/app.json", procstat.GetField("cmdline")!.Value.AsString);
    }

    [Fact]
    public void WhenATelegrafSingleLineMessageIsReadThenItsTagsAreSortedAndTenFieldsAreNumbers()
    {
        var reader = new LineProtocolReader(Encoding.UTF8.GetBytes(TelegrafSamples.SingleLine));
        Assert.True(reader.MoveNext());
        Assert.True(reader.IsValid);
        var line = reader.Current;
        var numbers = 0;
        foreach (var field in line.Fields)
        {
            numbers += field.TryGetNumber(out _) ? 1 : 0;
        }

        Assert.True(line.TagsSorted);
        Assert.Equal(10, numbers);
        Assert.Equal("cpu,cpu=cpu-total,host=web-01", Encoding.UTF8.GetString(line.SeriesKey));
        Assert.False(reader.MoveNext());
    }

    [Fact]
    public void WhenTheLastLineHasNoNewlineOrUsesCrLfThenTheMessageStillParses()
    {
        var crlf = TelegrafSamples.Batch.Replace("\n", "\r\n", StringComparison.Ordinal);
        var unterminated = TelegrafSamples.Batch.TrimEnd('\n');

        Assert.Equal(TelegrafSamples.BatchLines, LineProtocolParser.Parse(crlf).Points.Count);
        Assert.Equal(TelegrafSamples.BatchLines, LineProtocolParser.Parse(unterminated).Points.Count);
        Assert.Empty(LineProtocolParser.Parse(crlf).Errors);
    }

    [Fact]
    public void WhenTelegrafWritesSecondPrecisionThenTimestampsAreScaledToNanoseconds()
    {
        var result = LineProtocolParser.Parse("system,host=web-01 load1=0.42 1700000000\n", TimestampPrecision.Seconds);

        Assert.Equal(TelegrafSamples.Timestamp, Assert.Single(result.Points).TimestampNs);
    }
}
