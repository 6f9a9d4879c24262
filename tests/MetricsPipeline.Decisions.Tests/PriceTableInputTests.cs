using MetricsPipeline.Decisions.Cost;
using Xunit;

namespace MetricsPipeline.Decisions.Tests;

public sealed class PriceTableInputTests
{
    [Fact]
    public void WhenAPriceIsNegativeOrNotANumberThenTheMessageNamesTheInstanceTypeAndTheValue()
    {
        // Before: "Prices must be finite, non-negative numbers." for a table of many types, without saying which.
        var e = Assert.Throws<ArgumentException>(() => new PriceTable(new Dictionary<string, double> { ["m5.large"] = 0.096, ["c5.xlarge"] = -0.17 }));
        Assert.Contains("c5.xlarge", e.Message, StringComparison.Ordinal);
        Assert.Contains("-0.17", e.Message, StringComparison.Ordinal);
        var storage = Assert.Throws<ArgumentException>(() => new PriceTable(new Dictionary<string, double> { ["m5.large"] = 0.096 }, storagePerGbMonth: double.NaN));
        Assert.Contains("storage", storage.Message, StringComparison.OrdinalIgnoreCase);
    }
}
