namespace MetricsPipeline.Decisions.Simulation;

/// <summary>Adds up cost, SLO violations and utilisation minute by minute. Not thread-safe.</summary>
internal sealed class RunAccumulator(double capacity, double pricePerMinute, LatencyCurve curve, double sloP95Ms)
{
    private double _utilization;
    private double _instances;

    public double Cost { get; private set; }

    public int Minutes { get; private set; }

    public int Violations { get; private set; }

    public int PeakInstances { get; private set; }

    public double MeanUtilization => Minutes == 0 ? 0 : _utilization / Minutes;

    public double MeanInstances => Minutes == 0 ? 0 : _instances / Minutes;

    /// <summary>Records one minute; returns the utilisation of the serving instances (∞ with none serving a load).</summary>
    public double Add(int billed, int serving, double load)
    {
        double rho = serving > 0 ? load / (serving * capacity) : load > 0 ? double.PositiveInfinity : 0;
        Cost += billed * pricePerMinute;
        Minutes++;
        _instances += billed;
        PeakInstances = Math.Max(PeakInstances, billed);
        _utilization += Math.Min(1, rho);
        if (curve.P95(rho) > sloP95Ms)
        {
            Violations++;
        }

        return rho;
    }
}
