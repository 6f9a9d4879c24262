using MetricsPipeline.Ingest.LineProtocol;
using MetricsPipeline.Ingest.Model;
using Xunit;

namespace MetricsPipeline.Ingest.Tests.LineProtocol;

public class LineProtocolWriterTests
{
    private static MetricPoint Point(string measurement, string tagKey = "k", string tagValue = "v", string fieldKey = "f") =>
        new(measurement, [new(tagKey, tagValue)], [new(fieldKey, FieldValue.FromDouble(1))], 5);

    [Fact]
    public void WhenAPointHasEveryKindOfValueThenTheLineMatchesInfluxDbSyntax()
    {
        var point = new MetricPoint(
            "cpu load",
            [new("region", "eu,west"), new("host", "a=b c")],
            [new("f", FieldValue.FromDouble(1.5)), new("i", FieldValue.FromInt64(-3)), new("u", FieldValue.FromUInt64(7)), new("b", FieldValue.FromBoolean(false)), new("s", FieldValue.FromString("say \"hi\"\\"))],
            1700000000123456789);

        Assert.Equal(
            "cpu\\ load,host=a\\=b\\ c,region=eu\\,west f=1.5,i=-3i,u=7u,b=false,s=\"say \\\"hi\\\"\\\\\" 1700000000123456789\n",
            LineProtocolWriter.ToLine(point));
        Assert.Equal("cpu\\ load,host=a\\=b\\ c,region=eu\\,west f=1.5,i=-3i,u=7u,b=false,s=\"say \\\"hi\\\"\\\\\" 1700000000\n", LineProtocolWriter.ToLine(point, TimestampPrecision.Seconds));
    }

    [Theory]
    [InlineData("a\\", "measurement")]
    [InlineData("a\\\\", "measurement")]
    [InlineData("a\\\\\\", "measurement")]
    [InlineData("k\\", "tagKey")]
    [InlineData("v\\", "tagValue")]
    [InlineData("f\\", "fieldKey")]
    [InlineData("#cpu", "measurement")]
    [InlineData("", "fieldKey")]
    [InlineData("", "tagKey")]
    public void WhenANameHasNoFaithfulLineProtocolFormThenWritingItThrows(string name, string part)
    {
        var point = part switch
        {
            "measurement" => Point(name),
            "tagKey" => Point("m", tagKey: name),
            "tagValue" => Point("m", tagValue: name),
            _ => Point("m", fieldKey: name),
        };

        Assert.Throws<ArgumentException>(() => LineProtocolWriter.ToLine(point));
    }

    [Theory]
    [InlineData("a\\ b")]
    [InlineData("a\\,b")]
    [InlineData("k\\=")]
    [InlineData("v\\=1")]
    [InlineData("a\\\\ b")]
    [InlineData("C:\\Temp")]
    [InlineData("\\\\server\\share")]
    [InlineData("x#y")]
    public void WhenANameHasBackslashesButDoesNotEndWithOneThenItRoundTrips(string name)
    {
        var point = Point(name, name, name, name);

        var parsed = Assert.Single(LineProtocolParser.Parse(LineProtocolWriter.ToLine(point)).Points);

        Assert.Equal(name, parsed.Measurement);
        Assert.Equal([new(name, name)], parsed.Tags);
        Assert.Equal(name, parsed.Fields[0].Key);
    }

    [Fact]
    public void WhenAMeasurementHasABackslashBeforeAnEqualsSignThenItRoundTripsBecauseEqualsNeedsNoEscapeThere()
    {
        var parsed = Assert.Single(LineProtocolParser.Parse(LineProtocolWriter.ToLine(Point("a\\=b"))).Points);

        Assert.Equal("a\\=b", parsed.Measurement);
    }

    [Fact]
    public void WhenANameHasANewlineThenItIsWrittenAsAnUnderscore()
    {
        var parsed = Assert.Single(LineProtocolParser.Parse(LineProtocolWriter.ToLine(Point("a\nb\tc\rd"))).Points);

        Assert.Equal("a_b_c_d", parsed.Measurement);
    }

    [Fact]
    public void WhenAPointIsRefusedThenNothingIsWrittenToTheBuffer()
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        LineProtocolWriter.Write(Point("ok"), buffer);
        var before = buffer.WrittenCount;
        var bad = new MetricPoint("cpu", [new("host", "a")], [new("good", FieldValue.FromInt64(1)), new("bad\\", FieldValue.FromInt64(2))], null);

        Assert.Throws<ArgumentException>(() => LineProtocolWriter.Write(bad, buffer));
        Assert.Equal(before, buffer.WrittenCount);
    }

    [Fact]
    public void WhenTagsAreUnsortedThenTheyAreWrittenSortedAndStable()
    {
        var point = new MetricPoint("m", [new("z", "1"), new("a", "2"), new("m", "3"), new("a", "4")], [new("f", FieldValue.FromInt64(1))], null);

        Assert.Equal("m,a=2,a=4,m=3,z=1 f=1i\n", LineProtocolWriter.ToLine(point));
    }

    [Fact]
    public void WhenAFloatIsNotFiniteThenWritingItThrows()
    {
        var point = new MetricPoint("m", [], [new("f", FieldValue.FromDouble(double.NaN))], null);

        Assert.Throws<ArgumentException>(() => LineProtocolWriter.ToLine(point));
    }
}
