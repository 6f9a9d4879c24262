using System.Text;
using MetricsPipeline.Ingest.LineProtocol;
using MetricsPipeline.Ingest.Model;
using Xunit;

namespace MetricsPipeline.Ingest.Tests.LineProtocol;

/// <summary>Parses short texts and hands back managed results, since the reader's ref structs cannot leave a method.</summary>
internal static class LineProtocolTestHelper
{
    public static LineProtocolError SingleError(string text, TimestampPrecision precision = TimestampPrecision.Nanoseconds, LineProtocolLimits? limits = null)
    {
        var reader = new LineProtocolReader(Encoding.UTF8.GetBytes(text), precision, limits);
        Assert.True(reader.MoveNext(), "expected one line");
        Assert.False(reader.IsValid, "expected the line to be rejected");
        var error = reader.Error;
        Assert.Equal(error.Reason, reader.ErrorReason);
        Assert.False(reader.MoveNext(), "expected exactly one line");
        return error;
    }

    public static MetricPoint SinglePoint(string text, TimestampPrecision precision = TimestampPrecision.Nanoseconds, LineProtocolLimits? limits = null)
    {
        var reader = new LineProtocolReader(Encoding.UTF8.GetBytes(text), precision, limits);
        Assert.True(reader.MoveNext(), "expected one line");
        Assert.True(reader.IsValid, reader.IsValid ? string.Empty : reader.Error.Describe());
        var point = reader.Current.ToMetricPoint();
        Assert.False(reader.MoveNext(), "expected exactly one line");
        return point;
    }

    public static FieldValue SingleField(string text, LineProtocolLimits? limits = null)
    {
        var point = SinglePoint(text, limits: limits);
        return Assert.Single(point.Fields).Value;
    }

    /// <summary>Structural equality of two points (the record's lists compare by reference).</summary>
    public static void AssertSamePoint(MetricPoint expected, MetricPoint actual)
    {
        Assert.Equal(expected.Measurement, actual.Measurement);
        Assert.Equal(expected.Tags, actual.Tags);
        Assert.Equal(expected.Fields.Select(f => f.Key), actual.Fields.Select(f => f.Key));
        Assert.Equal(expected.Fields.Select(f => f.Value), actual.Fields.Select(f => f.Value));
        Assert.Equal(expected.TimestampNs, actual.TimestampNs);
    }
}
