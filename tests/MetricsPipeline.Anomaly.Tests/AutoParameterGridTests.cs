using MetricsPipeline.Anomaly.Auto;
using Xunit;

namespace MetricsPipeline.Anomaly.Tests;

public sealed class AutoParameterGridTests
{
    [Fact]
    public void WhenTheGridIsBuiltAroundTheDefaultsThenTheBaselineComesFirstAndEachNeighbourMovesOneParameter()
    {
        var baseline = new AutoDetectorOptions();
        var grid = AutoParameterGrid.Neighbourhood(baseline);
        Assert.Equal(15, grid.Count);
        Assert.Equal("baseline", grid[0].Label);
        Assert.Equal(grid.Count, grid.Select(g => g.Label).Distinct().Count());
        var properties = typeof(AutoDetectorOptions).GetProperties();
        foreach (var (label, options) in grid.Skip(1))
        {
            var changed = properties.Where(p => !Equals(p.GetValue(options), p.GetValue(baseline))).ToArray();
            Assert.Single(changed);
        }

        var refractory = grid.Single(g => g.Label == "refractory-length=60").Options;
        Assert.Equal(60, refractory.RefractoryLength);
        Assert.Equal(0.995, grid.Single(g => g.Label == "reference-quantile=0.995").Options.ReferenceQuantile, 12);
        Assert.Equal(1, grid.Single(g => g.Label == "smoothing=1").Options.Smoothing);
        Assert.Equal(120, baseline.RefractoryLength);
    }

    [Fact]
    public void WhenAnAutoDetectorIsAskedForItsOptionsThenItReturnsACopy()
    {
        var detector = new AutoDetector(new AutoDetectorOptions { RefractoryLength = 77 });
        var copy = detector.Options;
        copy.RefractoryLength = 5;
        Assert.Equal(77, detector.Options.RefractoryLength);
    }
}
