using MetricsPipeline.Ingest.LineProtocol;
using MetricsPipeline.Ingest.Model;
using Xunit;
using static MetricsPipeline.Ingest.Tests.LineProtocol.LineProtocolTestHelper;

namespace MetricsPipeline.Ingest.Tests.LineProtocol;

public class LineProtocolErrorTests
{
    [Theory]
    [InlineData(",host=a v=1", 1, "missing_measurement")]
    [InlineData("cpu", 4, "missing_fields")]
    [InlineData("cpu,host=a", 11, "missing_fields")]
    [InlineData("cpu,host=a   ", 11, "missing_fields")]
    [InlineData("cpu,=a v=1", 5, "missing_tag_key")]
    [InlineData("cpu,,a=1 v=1", 5, "missing_tag_key")]
    [InlineData("cpu, v=1", 5, "missing_tag_key")]
    [InlineData("cpu,host v=1", 9, "missing_tag_equals")]
    [InlineData("cpu,host= v=1", 10, "missing_tag_value")]
    [InlineData("cpu,host=,b=c v=1", 10, "missing_tag_value")]
    [InlineData("cpu,expr=a=b v=1", 11, "unescaped_equals_in_tag_value")]
    [InlineData("cpu,t=a\\\\ v=1", 12, "unescaped_equals_in_tag_value")]
    [InlineData("cpu f\\\\=1", 10, "missing_field_equals")]
    [InlineData("cpu =1", 5, "missing_field_key")]
    [InlineData("cpu v=1,=2", 9, "missing_field_key")]
    [InlineData("cpu v=1,", 9, "missing_field_key")]
    [InlineData("cpu value", 10, "missing_field_equals")]
    [InlineData("cpu a=1,value 5", 14, "missing_field_equals")]
    [InlineData("cpu v=", 7, "missing_field_value")]
    [InlineData("cpu v=,w=1", 7, "missing_field_value")]
    [InlineData("cpu v= 1", 7, "missing_field_value")]
    [InlineData("cpu v=abc", 7, "invalid_field_value")]
    [InlineData("cpu a=1,v=\"x\"y", 14, "invalid_string_field")]
    [InlineData("cpu v=1.2.3", 7, "invalid_float")]
    [InlineData("cpu v=+1", 7, "invalid_float")]
    [InlineData("cpu v=1e", 7, "invalid_float")]
    [InlineData("cpu v=-", 7, "invalid_float")]
    [InlineData("cpu v=1x", 7, "invalid_float")]
    [InlineData("cpu v=1.5i", 7, "invalid_integer")]
    [InlineData("cpu v=i", 7, "invalid_integer")]
    [InlineData("cpu v=1e3i", 7, "invalid_integer")]
    [InlineData("cpu v=9223372036854775808i", 7, "integer_out_of_range")]
    [InlineData("cpu v=-9223372036854775809i", 7, "integer_out_of_range")]
    [InlineData("cpu v=1.5u", 7, "invalid_unsigned")]
    [InlineData("cpu v=-u", 7, "invalid_unsigned")]
    [InlineData("cpu v=-1u", 7, "negative_unsigned")]
    [InlineData("cpu v=18446744073709551616u", 7, "unsigned_out_of_range")]
    [InlineData("cpu v=tru", 7, "invalid_boolean")]
    [InlineData("cpu v=yes", 7, "invalid_field_value")]
    [InlineData("cpu v=tRUE", 7, "invalid_boolean")]
    [InlineData("cpu v=\"abc", 7, "unterminated_string")]
    [InlineData("cpu v=\"abc\\\"", 7, "unterminated_string")]
    [InlineData("cpu v=NaN", 7, "non_finite_float")]
    [InlineData("cpu v=-Inf", 7, "non_finite_float")]
    [InlineData("cpu v=inf", 7, "non_finite_float")]
    [InlineData("cpu v=1e999", 7, "non_finite_float")]
    [InlineData("cpu v=-1.5E+400", 7, "non_finite_float")]
    [InlineData("cpu v=1 12a", 9, "invalid_timestamp")]
    [InlineData("cpu v=1 -", 9, "invalid_timestamp")]
    [InlineData("cpu v=1 1.5", 9, "invalid_timestamp")]
    [InlineData("cpu v=1 9223372036854775808", 9, "timestamp_out_of_range")]
    [InlineData("cpu v=1 -9223372036854775809", 9, "timestamp_out_of_range")]
    [InlineData("cpu v=1 9999999999999999999", 9, "timestamp_out_of_range")]
    [InlineData("cpu v=1 922337203685477580x", 9, "invalid_timestamp")]
    [InlineData("cpu v=1 92233720368547x5807", 9, "invalid_timestamp")]
    [InlineData("cpu  v=1", 5, "duplicate_space")]
    [InlineData("cpu v=1  123", 9, "duplicate_space")]
    [InlineData("cpu v=1 123 456", 13, "trailing_garbage")]
    [InlineData("cpu v=1 123  x", 14, "trailing_garbage")]
    public void WhenALineIsMalformedThenTheErrorNamesTheReasonAndColumn(string line, int column, string code)
    {
        var error = SingleError(line);

        Assert.Equal(code, error.ReasonCode);
        Assert.Equal(1, error.Line);
        Assert.Equal(column, error.Column);
    }

    [Fact]
    public void WhenEveryReasonHasACodeThenTheCodesAreDistinctSnakeCase()
    {
        var codes = Enum.GetValues<LineErrorReason>()
            .Select(r => new LineProtocolError(1, 1, r, default, null).ReasonCode)
            .ToArray();

        Assert.DoesNotContain("unknown", codes);
        Assert.Equal(codes.Length, codes.Distinct().Count());
        Assert.All(codes, c => Assert.Matches("^[a-z]+(_[a-z0-9]+)*$", c));
    }

    [Fact]
    public void WhenALineIsLongerThanTheLimitThenItIsRejectedAtTheFirstExcessByte()
    {
        var error = SingleError("cpu value=12345", limits: new LineProtocolLimits { MaxLineBytes = 10 });

        Assert.Equal(LineErrorReason.LineTooLong, error.Reason);
        Assert.Equal("line_too_long", error.ReasonCode);
        Assert.Equal(11, error.Column);
        Assert.Contains("10 bytes", error.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public void WhenALineHasMoreTagsThanTheLimitThenTheFirstExcessTagIsBlamed()
    {
        var error = SingleError("cpu,a=1,b=2 v=1", limits: new LineProtocolLimits { MaxTags = 1 });

        Assert.Equal("too_many_tags", error.ReasonCode);
        Assert.Equal(9, error.Column);
    }

    [Fact]
    public void WhenALineHasMoreFieldsThanTheLimitThenTheFirstExcessFieldIsBlamed()
    {
        var error = SingleError("cpu a=1,b=2", limits: new LineProtocolLimits { MaxFields = 1 });

        Assert.Equal("too_many_fields", error.ReasonCode);
        Assert.Equal(9, error.Column);
    }

    [Theory]
    [InlineData("cpu v=1 99", "timestamp_out_of_range")]
    [InlineData("cpu v=1 2001", "timestamp_out_of_range")]
    [InlineData("cpu v=1 100", null)]
    [InlineData("cpu v=1 2000", null)]
    public void WhenTimestampBoundsAreSetThenTimestampsOutsideThemAreRejected(string line, string? code)
    {
        var limits = new LineProtocolLimits { MinTimestampNs = 100, MaxTimestampNs = 2000 };
        if (code is null)
        {
            Assert.NotNull(SinglePoint(line, limits: limits).TimestampNs);
        }
        else
        {
            Assert.Equal(code, SingleError(line, limits: limits).ReasonCode);
        }
    }

    [Theory]
    [InlineData(TimestampPrecision.Seconds, "9223372037")]
    [InlineData(TimestampPrecision.Milliseconds, "-9223372036855")]
    [InlineData(TimestampPrecision.Microseconds, "9223372036854776")]
    public void WhenAPrecisionConversionOverflowsThenTheTimestampIsOutOfRange(TimestampPrecision precision, string timestamp)
    {
        var error = SingleError("cpu v=1 " + timestamp, precision);

        Assert.Equal("timestamp_out_of_range", error.ReasonCode);
        Assert.Equal(9, error.Column);
    }

    [Fact]
    public void WhenNonFiniteFloatsAreAllowedThenTheyAreReadAsTheirValues()
    {
        var limits = new LineProtocolLimits { RejectNonFinite = false };

        Assert.True(double.IsNaN(SingleField("cpu v=NaN", limits).AsDouble));
        Assert.Equal(double.NegativeInfinity, SingleField("cpu v=-inf", limits).AsDouble);
        Assert.Equal(double.PositiveInfinity, SingleField("cpu v=1e999", limits).AsDouble);
    }

    [Fact]
    public void WhenAnErrorFollowsBlankAndCommentLinesThenItsLineNumberCountsThem()
    {
        var result = LineProtocolParser.Parse("cpu v=1\n\n# comment\r\nmem,host= v=1\n");

        var error = Assert.Single(result.Errors);
        Assert.Equal(4, error.Line);
        Assert.Equal(10, error.Column);
        Assert.Single(result.Points);
    }

    [Fact]
    public void WhenAnErrorFollowsAMultiLineStringThenLineAndColumnPointAtThePhysicalPosition()
    {
        var result = LineProtocolParser.Parse("a v=1\ncpu s=\"x\ny\" 12x\nb v=2");

        var error = Assert.Single(result.Errors);
        Assert.Equal("invalid_timestamp", error.ReasonCode);
        Assert.Equal(3, error.Line);
        Assert.Equal(4, error.Column);
        Assert.Equal(2, result.Points.Count);
    }

    [Fact]
    public void WhenAStringIsNeverClosedThenOnlyItsOwnPhysicalLineIsLost()
    {
        var result = LineProtocolParser.Parse("cpu s=\"oops\nmem v=1\ndisk v=2\n");

        var error = Assert.Single(result.Errors);
        Assert.Equal("unterminated_string", error.ReasonCode);
        Assert.Equal((1, 7), (error.Line, error.Column));
        Assert.Equal(["mem", "disk"], result.Points.Select(p => p.Measurement));
    }

    [Fact]
    public void WhenAnErrorIsDescribedThenTheTextQuotesTheOffendingValue()
    {
        var error = SingleError("cpu,host=a v=1i,w=xi 1");

        Assert.Equal("line 1, column 19: invalid integer field value 'xi' (expected digits followed by 'i')", error.Describe());
    }

    [Fact]
    public void WhenAnErrorBecomesADeadLetterThenItCarriesTheLineReasonAndPosition()
    {
        var payload = "cpu v=1\nmem v=oops 5\r\n"u8.ToArray();
        var reader = new LineProtocolReader(payload);
        Assert.True(reader.MoveNext());
        Assert.True(reader.MoveNext());
        var letter = reader.Error.ToDeadLetter(payload, "metrics/0@42");

        Assert.Equal("parse", letter.Stage);
        Assert.Equal("invalid_field_value", letter.Reason);
        Assert.Equal("mem v=oops 5", System.Text.Encoding.UTF8.GetString(letter.Payload.Span));
        Assert.Equal((2, 7), (letter.Line, letter.Column));
        Assert.Equal("metrics/0@42", letter.Source);
        Assert.StartsWith("line 2, column 7: ", letter.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WhenABadLineIsReadThenTheNextLinesAreStillRead()
    {
        var result = LineProtocolParser.Parse("a v=1\nb v=\nc v=3\nd\ne v=5");

        Assert.Equal(["a", "c", "e"], result.Points.Select(p => p.Measurement));
        Assert.Equal([2, 4], result.Errors.Select(e => e.Line));
        Assert.Equal(2, result.ErrorDescriptions.Count);
    }
}
