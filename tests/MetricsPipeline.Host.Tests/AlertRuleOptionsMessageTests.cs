using MetricsPipeline.Host.Stages;
using Xunit;

namespace MetricsPipeline.Host.Tests;

/// <summary>An out-of-range alert rule setting fails naming its own key and value.</summary>
public sealed class AlertRuleOptionsMessageTests
{
    [Theory]
    [InlineData("For", "-00:05:00")]
    [InlineData("RenotifyInterval", "00:00:00")]
    [InlineData("FlappingWindow", "-00:01:00")]
    [InlineData("NoDataResolveAfter", "-00:10:00")]
    [InlineData("FlappingMaxChanges", "0")]
    public void WhenOneSettingIsOutOfRangeThenTheMessageNamesItsKeyAndValue(string setting, string value)
    {
        // Before: "Analytics:Alerts:Rules:cpu_high: For and NoDataResolveAfter must be ≥ 0, RenotifyInterval and
        // FlappingWindow positive, FlappingMaxChanges ≥ 1." for any of the five, without the value.
        var options = new AlertRuleOptions();
        switch (setting)
        {
            case "FlappingMaxChanges":
                options.FlappingMaxChanges = int.Parse(value, System.Globalization.CultureInfo.InvariantCulture);
                break;
            default:
                var span = TimeSpan.Parse(value, System.Globalization.CultureInfo.InvariantCulture);
                typeof(AlertRuleOptions).GetProperty(setting)!.SetValue(options, span);
                break;
        }

        var e = Assert.Throws<ArgumentException>(() => AlertRuleOptions.Build(new Dictionary<string, AlertRuleOptions> { ["cpu_high"] = options }));
        Assert.StartsWith($"Analytics:Alerts:Rules:cpu_high:{setting} ", e.Message, StringComparison.Ordinal);
        Assert.Contains(value, e.Message, StringComparison.Ordinal);
    }
}
