using System.Text;
using MetricsPipeline.Ingest.LineProtocol;
using MetricsPipeline.Ingest.Model;
using Xunit;
using static MetricsPipeline.Ingest.Tests.LineProtocol.LineProtocolTestHelper;

namespace MetricsPipeline.Ingest.Tests.LineProtocol;

public class LineProtocolReaderTests
{
    [Fact]
    public void WhenALineHasMeasurementTagsFieldsAndTimestampThenEveryPartIsRead()
    {
        var point = SinglePoint("cpu,host=a,region=eu v=1.5,n=3i,u=4u,ok=true,s=\"hi\" 1700000000000000000");

        Assert.Equal("cpu", point.Measurement);
        Assert.Equal([new("host", "a"), new("region", "eu")], point.Tags);
        Assert.Equal(
            [FieldValue.FromDouble(1.5), FieldValue.FromInt64(3), FieldValue.FromUInt64(4), FieldValue.FromBoolean(true), FieldValue.FromString("hi")],
            point.Fields.Select(f => f.Value));
        Assert.Equal(1700000000000000000, point.TimestampNs);
    }

    [Fact]
    public void WhenNamesAreEscapedThenTheyAreUnescapedPerPart()
    {
        var point = SinglePoint("my\\ meas\\,ure,t\\ k\\=x=v\\,a\\ l\\=ue f\\,i\\=e\\ ld=\"s\\\"t\\\\r\" 1");

        Assert.Equal("my meas,ure", point.Measurement);
        Assert.Equal([new("t k=x", "v,a l=ue")], point.Tags);
        Assert.Equal("f,i=e ld", point.Fields[0].Key);
        Assert.Equal("s\"t\\r", point.Fields[0].Value.AsString);
    }

    [Theory]
    [InlineData("a\\=b v=1", "a\\=b")]
    [InlineData("a=b v=1", "a=b")]
    [InlineData("C:\\Temp v=1", "C:\\Temp")]
    [InlineData("\\\\server v=1", "\\\\server")]
    [InlineData("a\\\\\\,b v=1", "a\\\\,b")]
    [InlineData("a\\\\,b v=1", "a\\,b")]
    [InlineData("a\\\\ b v=1", "a\\ b")]
    [InlineData("caf\u00e9\\ \u65e5\u672c v=1", "caf\u00e9 \u65e5\u672c")]
    public void WhenABackslashPrecedesACharacterItDoesNotEscapeThenItIsKeptLiterally(string line, string measurement)
    {
        Assert.Equal(measurement, SinglePoint(line).Measurement);
    }

    [Theory]
    [InlineData("cpu,path=C:\\Temp\\x v=1", "C:\\Temp\\x")]
    [InlineData("cpu,expr=a\\=b v=1", "a=b")]
    [InlineData("cpu,path=\\\\server\\share v=1", "\\\\server\\share")]
    [InlineData("cpu,t=a\\\\,b v=1", "a\\,b")]
    [InlineData("cpu,q=\"x\" v=1", "\"x\"")]
    [InlineData("cpu,k=#1 v=1", "#1")]
    public void WhenATagValueHoldsUnusualCharactersThenTheyAreKept(string line, string value)
    {
        Assert.Equal(value, SinglePoint(line).Tags[0].Value);
    }

    [Theory]
    [InlineData("cpu s=\"a, b=c d\"", "a, b=c d")]
    [InlineData("cpu s=\"\"", "")]
    [InlineData("cpu s=\"back\\\\slash\"", "back\\slash")]
    [InlineData("cpu s=\"lit\\eral\"", "lit\\eral")]
    [InlineData("cpu s=\"multi\nline\"", "multi\nline")]
    [InlineData("cpu s=\"ends with \\\\\"", "ends with \\")]
    [InlineData("cpu s=\"\u00e9\u65e5\"", "\u00e9\u65e5")]
    public void WhenAStringFieldHoldsSpecialCharactersThenTheyAreRead(string line, string value)
    {
        Assert.Equal(value, SingleField(line).AsString);
    }

    [Theory]
    [InlineData("1", 1.0)]
    [InlineData("1.0", 1.0)]
    [InlineData("-1.5e-3", -0.0015)]
    [InlineData(".5", 0.5)]
    [InlineData("-.5", -0.5)]
    [InlineData("1.", 1.0)]
    [InlineData("1E+20", 1e20)]
    [InlineData("0", 0.0)]
    [InlineData("007", 7.0)]
    [InlineData("91.98396793587175", 91.98396793587175)]
    [InlineData("1.7976931348623157E+308", double.MaxValue)]
    [InlineData("4.9406564584124654E-324", double.Epsilon)]
    [InlineData("123456789012345678901234567890", 1.2345678901234568e29)]
    public void WhenAFloatIsWrittenInAnyAcceptedFormThenItParsesExactly(string literal, double expected)
    {
        var value = SingleField("m v=" + literal);

        Assert.Equal(FieldKind.Float, value.Kind);
        Assert.Equal(expected, value.AsDouble);
    }

    [Fact]
    public void WhenAFloatIsNegativeZeroThenItsSignIsKept()
    {
        Assert.True(double.IsNegative(SingleField("m v=-0").AsDouble));
    }

    [Theory]
    [InlineData("0i", 0L)]
    [InlineData("-42i", -42L)]
    [InlineData("999999999999999999i", 999999999999999999L)]
    [InlineData("-999999999999999999i", -999999999999999999L)]
    [InlineData("1000000000000000000i", 1000000000000000000L)]
    [InlineData("9223372036854775807i", long.MaxValue)]
    [InlineData("-9223372036854775808i", long.MinValue)]
    public void WhenAnIntegerIsInRangeThenItParses(string literal, long expected)
    {
        Assert.Equal(FieldValue.FromInt64(expected), SingleField("m v=" + literal));
    }

    [Theory]
    [InlineData("0u", 0UL)]
    [InlineData("18446744073709551615u", ulong.MaxValue)]
    public void WhenAnUnsignedIsInRangeThenItParses(string literal, ulong expected)
    {
        Assert.Equal(FieldValue.FromUInt64(expected), SingleField("m v=" + literal));
    }

    [Theory]
    [InlineData("t", true)]
    [InlineData("T", true)]
    [InlineData("true", true)]
    [InlineData("True", true)]
    [InlineData("TRUE", true)]
    [InlineData("f", false)]
    [InlineData("F", false)]
    [InlineData("false", false)]
    [InlineData("False", false)]
    [InlineData("FALSE", false)]
    public void WhenABooleanUsesAnAcceptedSpellingThenItParses(string literal, bool expected)
    {
        Assert.Equal(FieldValue.FromBoolean(expected), SingleField("m v=" + literal));
    }

    [Theory]
    [InlineData(TimestampPrecision.Nanoseconds, "1700000000123456789", 1700000000123456789L)]
    [InlineData(TimestampPrecision.Microseconds, "1700000000123456", 1700000000123456000L)]
    [InlineData(TimestampPrecision.Milliseconds, "1700000000123", 1700000000123000000L)]
    [InlineData(TimestampPrecision.Seconds, "1700000000", 1700000000000000000L)]
    [InlineData(TimestampPrecision.Seconds, "-1", -1000000000L)]
    [InlineData(TimestampPrecision.Seconds, "9223372036", 9223372036000000000L)]
    [InlineData(TimestampPrecision.Milliseconds, "-9223372036854", -9223372036854000000L)]
    [InlineData(TimestampPrecision.Nanoseconds, "-9223372036854775808", long.MinValue)]
    [InlineData(TimestampPrecision.Nanoseconds, "0", 0L)]
    [InlineData(TimestampPrecision.Nanoseconds, "9223372036854775807", long.MaxValue)]
    [InlineData(TimestampPrecision.Nanoseconds, "-9223372036854775807", -long.MaxValue)]
    [InlineData(TimestampPrecision.Nanoseconds, "0922337203685477580", 922337203685477580L)]
    [InlineData(TimestampPrecision.Nanoseconds, "1000000000000000000", 1000000000000000000L)]
    public void WhenATimestampIsGivenThenItIsConvertedFromThePrecision(TimestampPrecision precision, string timestamp, long expectedNs)
    {
        Assert.Equal(expectedNs, SinglePoint("m v=1 " + timestamp, precision).TimestampNs);
    }

    [Fact]
    public void WhenNoTimestampIsGivenThenThePointHasNone()
    {
        Assert.Null(SinglePoint("m v=1").TimestampNs);
    }

    [Fact]
    public void WhenThePayloadHasCommentsBlankLinesAndCrLfThenOnlyDataLinesAreReadWithPhysicalLineNumbers()
    {
        var payload = Encoding.UTF8.GetBytes("# header\r\n\r\n   \n\t# indented comment\ncpu v=1\r\n  mem v=2  \n\n\tdisk v=3");
        var reader = new LineProtocolReader(payload);
        var seen = new List<(int Line, string Raw, string Measurement)>();
        while (reader.MoveNext())
        {
            Assert.True(reader.IsValid);
            var line = reader.Current;
            seen.Add((line.LineNumber, Encoding.UTF8.GetString(line.RawLine), line.Measurement));
        }

        Assert.Equal([(5, "cpu v=1", "cpu"), (6, "  mem v=2", "mem"), (8, "\tdisk v=3", "disk")], seen);
    }

    [Fact]
    public void WhenThePayloadIsEmptyOrOnlyBlankThenThereAreNoLines()
    {
        Assert.False(new LineProtocolReader(ReadOnlySpan<byte>.Empty).MoveNext());
        Assert.False(new LineProtocolReader("\n\n  \r\n# x"u8).MoveNext());
        Assert.False(default(LineProtocolReader).MoveNext());
    }

    [Fact]
    public void WhenAStringSpansLinesThenTheNextLineNumberCountsItsNewlines()
    {
        var reader = new LineProtocolReader("a s=\"1\n2\n3\",t=\"x\"\nb v=1\n"u8);

        Assert.True(reader.MoveNext());
        Assert.Equal(1, reader.Current.LineNumber);
        Assert.True(reader.MoveNext());
        Assert.Equal(4, reader.Current.LineNumber);
        Assert.Equal("b", reader.Current.Measurement);
        Assert.False(reader.MoveNext());
    }

    [Fact]
    public void WhenAnIndentedLineHasAQuoteInATagValueThenItDoesNotOpenAString()
    {
        var result = LineProtocolParser.Parse("  cpu,t=\"a v=1\nmem s=\"hello\" 1\n");

        Assert.Empty(result.Errors);
        Assert.Equal("\"a", result.Points[0].GetTag("t"));
        Assert.Equal("hello", result.Points[1].GetField("s")!.Value.AsString);
    }

    [Fact]
    public void WhenALineIsReadThenSeriesKeyAndMeasurementAreTheRawBytes()
    {
        var reader = new LineProtocolReader("  w\\ x,b=2,a=1 v=1 5\n"u8);
        Assert.True(reader.MoveNext());
        var line = reader.Current;

        Assert.Equal("w\\ x,b=2,a=1", Encoding.UTF8.GetString(line.SeriesKey));
        Assert.Equal("w\\ x", Encoding.UTF8.GetString(line.MeasurementRaw));
        Assert.False(line.TagsSorted);
        Assert.Equal(2, line.TagCount);
        Assert.Equal(1, line.FieldCount);
    }

    [Theory]
    [InlineData("m v=1", true)]
    [InlineData("m,a=1 v=1", true)]
    [InlineData("m,a=1,b=2,c=3 v=1", true)]
    [InlineData("m,a=1,a=2 v=1", true)]
    [InlineData("m,b=1,a=2 v=1", false)]
    [InlineData("m,a=1,c=2,b=3 v=1", false)]
    public void WhenTagsAreInOrderThenTagsSortedSaysSo(string text, bool sorted)
    {
        var reader = new LineProtocolReader(Encoding.UTF8.GetBytes(text));
        Assert.True(reader.MoveNext());
        Assert.Equal(sorted, reader.Current.TagsSorted);
    }

    [Fact]
    public void WhenTagsAndFieldsAreEnumeratedThenRawSpansHelpersAndValuesAgree()
    {
        var reader = new LineProtocolReader("m,k\\ 1=v\\,1 f\\=1=2.5,g=-7i,h=\"a\\\"b\",i=F,j=9u\n"u8);
        Assert.True(reader.MoveNext());
        var line = reader.Current;
        Span<byte> buffer = stackalloc byte[32];

        var tags = line.Tags;
        Assert.True(tags.MoveNext());
        var tag = tags.Current;
        Assert.Equal("k\\ 1", Encoding.UTF8.GetString(tag.KeyRaw));
        Assert.True(tag.KeyEquals("k 1"u8));
        Assert.False(tag.KeyEquals("k\\ 1"u8));
        Assert.True(tag.TryUnescapeValue(buffer, out var written));
        Assert.Equal("v,1", Encoding.UTF8.GetString(buffer[..written]));
        Assert.False(tag.TryUnescapeValue(buffer[..2], out _));
        Assert.False(tags.MoveNext());

        var fields = line.Fields;
        Assert.Equal(5, fields.Count);
        Assert.True(fields.MoveNext());
        Assert.True(fields.Current.KeyEquals("f=1"u8));
        Assert.Equal(2.5, fields.Current.Double);
        Assert.True(fields.Current.TryGetNumber(out var number));
        Assert.Equal(2.5, number);
        Assert.True(fields.MoveNext());
        Assert.Equal(-7, fields.Current.Int64);
        Assert.Throws<InvalidOperationException>(() => ReadDoubleOfFirstIntegerField());
        Assert.True(fields.MoveNext());
        Assert.Equal(FieldKind.String, fields.Current.Kind);
        Assert.Equal("a\\\"b", Encoding.UTF8.GetString(fields.Current.StringRaw));
        Assert.Equal("a\"b", fields.Current.GetString());
        Assert.False(fields.Current.TryGetNumber(out _));
        Assert.True(fields.MoveNext());
        Assert.False(fields.Current.Boolean);
        Assert.True(fields.MoveNext());
        Assert.Equal(9UL, fields.Current.UInt64);
        Assert.False(fields.MoveNext());
    }

    [Fact]
    public void WhenTheCurrentLineIsInvalidThenReadingCurrentThrowsAndErrorDoesNot()
    {
        Assert.Throws<InvalidOperationException>(() => ReadCurrentOf("cpu"));
        Assert.Throws<InvalidOperationException>(() => ReadErrorOf("cpu v=1"));
    }

    private static double ReadDoubleOfFirstIntegerField()
    {
        var reader = new LineProtocolReader("m v=1i"u8);
        reader.MoveNext();
        var fields = reader.Current.Fields;
        fields.MoveNext();
        return fields.Current.Double;
    }

    private static int ReadCurrentOf(string text)
    {
        var reader = new LineProtocolReader(Encoding.UTF8.GetBytes(text));
        reader.MoveNext();
        return reader.Current.LineNumber;
    }

    private static int ReadErrorOf(string text)
    {
        var reader = new LineProtocolReader(Encoding.UTF8.GetBytes(text));
        reader.MoveNext();
        return reader.Error.Line;
    }
}
