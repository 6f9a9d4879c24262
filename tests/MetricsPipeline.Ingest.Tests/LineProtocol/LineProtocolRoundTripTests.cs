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
    public void WhenManyPointsShareOnePayloadThenTheyAllComeBackInOrder()
    {
        MetricPointGen.Point.Where(MetricPointGen.IsWritable).Array[1, 20].Sample(
            points =>
            {
                var payload = string.Concat(points.Select(p => LineProtocolWriter.ToLine(p)));
                var result = LineProtocolParser.Parse(payload);

                Assert.Empty(result.Errors);
                Assert.Equal(points.Length, result.Points.Count);
                for (var i = 0; i < points.Length; i++)
                {
                    LineProtocolTestHelper.AssertSamePoint(MetricPointGen.Expected(points[i], TimestampPrecision.Nanoseconds), result.Points[i]);
                }
            },
            iter: 2_000);
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
