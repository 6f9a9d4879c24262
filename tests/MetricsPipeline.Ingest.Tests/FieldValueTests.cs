using MetricsPipeline.Ingest.Model;
using Xunit;

namespace MetricsPipeline.Ingest.Tests;

public class FieldValueTests
{
    [Fact]
    public void WhenAnIntegerFieldIsReadAsANumberThenItKeepsItsValue()
    {
        Assert.True(FieldValue.FromInt64(-42).TryGetNumber(out var value));
        Assert.Equal(-42d, value);
    }

    [Fact]
    public void WhenAStringFieldIsReadAsANumberThenItRefuses()
    {
        Assert.False(FieldValue.FromString("x").TryGetNumber(out _));
    }
}
