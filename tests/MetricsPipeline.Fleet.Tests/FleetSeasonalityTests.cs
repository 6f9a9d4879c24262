namespace MetricsPipeline.Fleet.Tests;

public sealed class FleetSeasonalityTests
{
    [Fact]
    public void WhenTheDailyPeakIsComparedWithTheTroughThenRequestRateIsAboutThreeTimesHigherAt14Utc()
    {
        // Default DailyAmplitude 0.5: (1 + 0.5) / (1 − 0.5) = 3 between 14:00 and 02:00 UTC.
        var sim = new FleetSimulator(new FleetOptions());
        var peak = Fleet.MeanTotal(sim, Fleet.Wednesday.AddHours(14), 12, "api", FleetSchema.RequestRate);
        var trough = Fleet.MeanTotal(sim, Fleet.Wednesday.AddHours(2), 12, "api", FleetSchema.RequestRate);
        Assert.InRange(peak / trough, 2.6, 3.4);
    }

    [Fact]
    public void WhenAWednesdayIsComparedWithASundayThenTheWeekdayCarriesMoreLoad()
    {
        var sim = new FleetSimulator(new FleetOptions { GrowthPerDay = 0 });
        var wednesday = Fleet.MeanTotal(sim, Fleet.Wednesday.AddHours(12), 12, "api", FleetSchema.RequestRate);
        var sunday = Fleet.MeanTotal(sim, Fleet.Wednesday.AddDays(-3).AddHours(12), 12, "api", FleetSchema.RequestRate);
        // Weekly amplitude 0.15: noon Wednesday is the weekly peak (1.15), noon Sunday is at 1 + 0.15·cos(6π/7) ≈ 0.865.
        Assert.InRange(wednesday / sunday, 1.25, 1.41);
    }

    [Fact]
    public void WhenTheFleetGrowsThenTheSameHourAWeekLaterCarriesMoreLoad()
    {
        var sim = new FleetSimulator(new FleetOptions { GrowthPerDay = 0.05 });
        var now = Fleet.MeanTotal(sim, Fleet.Wednesday.AddHours(10), 24, "auth", FleetSchema.RequestRate);
        var later = Fleet.MeanTotal(sim, Fleet.Wednesday.AddDays(7).AddHours(10), 24, "auth", FleetSchema.RequestRate);
        Assert.InRange(later / now, Math.Pow(1.05, 7) * 0.95, Math.Pow(1.05, 7) * 1.05);
    }
}
