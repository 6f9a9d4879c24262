using CsCheck;
using MetricsPipeline.Ingest.LineProtocol;
using MetricsPipeline.Ingest.Model;
using Xunit;

namespace MetricsPipeline.Ingest.Tests.LineProtocol;

public class LineProtocolRoundTripTests
{
    [Theory]
    [InlineData(TimestampPrecision.Nanoseconds)]
    [InlineData(TimestampPrecision.Microseconds)]
    [InlineData(TimestampPrecision.Milliseconds)]
    [InlineData(TimestampPrecision.Seconds)]
    public void WhenAPointWithHostileNamesIsWrittenAndParsedThenTheSamePointComesBack(TimestampPrecision precision)
    {
        MetricPointGen.Point.Where(MetricPointGen.IsWritable).Sample(
            point =>
            {
                var line = LineProtocolWriter.ToLine(point, precision);
                var result = LineProtocolParser.Parse(line, precision);

                Assert.True(result.Errors.Count == 0, string.Join("; ", result.ErrorDescriptions) + " in " + line);
                LineProtocolTestHelper.AssertSamePoint(MetricPointGen.Expected(point, precision), Assert.Single(result.Points));
            },
            iter: 20_000);
    }

    [Fact]
    public void WhenManyPointsShareOnePayloadWithCommentsBlankLinesIndentationAndCrLfThenTheyAllComeBackInOrder()
    {
        var decoration = Gen.Select(Gen.OneOf("", "  ", "\t", "\n", "# a \"quoted\" comment=\"x\n", " \t\r\n"), Gen.Bool);
        Gen.Select(MetricPointGen.Point.Where(MetricPointGen.IsWritable), decoration).Array[1, 20].Sample(
            items =>
            {
                var payload = string.Concat(items.Select(item =>
                {
                    var line = LineProtocolWriter.ToLine(item.Item1);
                    var (prefix, crlf) = item.Item2;
                    return prefix + (crlf ? line[..^1] + "\r\n" : line);
                }));
                var result = LineProtocolParser.Parse(payload);

                Assert.True(result.Errors.Count == 0, string.Join("; ", result.ErrorDescriptions));
                Assert.Equal(items.Length, result.Points.Count);
                for (var i = 0; i < items.Length; i++)
                {
                    LineProtocolTestHelper.AssertSamePoint(MetricPointGen.Expected(items[i].Item1, TimestampPrecision.Nanoseconds), result.Points[i]);
                }
            },
            iter: 3_000);
    }

    [Fact]
    public void WhenTheWriterRefusesAPointThenItIsExactlyOneWithAnUnrepresentableName()
    {
        MetricPointGen.Point.Sample(
            point =>
            {
                var refused = false;
                try
                {
                    LineProtocolWriter.ToLine(point);
                }
                catch (ArgumentException)
                {
                    refused = true;
                }

                Assert.Equal(!MetricPointGen.IsWritable(point), refused);
            },
            iter: 20_000);
    }
}
