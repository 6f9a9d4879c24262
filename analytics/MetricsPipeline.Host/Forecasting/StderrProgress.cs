namespace MetricsPipeline.Host.Forecasting;

/// <summary>Reports progress of long runs on stderr at most every 5 %.</summary>
internal sealed class StderrProgress(string label) : IProgress<double>, IProgress<string>
{
    private int _lastPercent = -5;

    /// <inheritdoc />
    public void Report(double value)
    {
        int percent = (int)(value * 100);
        if (percent >= _lastPercent + 5 || (percent == 100 && _lastPercent != 100))
        {
            _lastPercent = percent;
            Console.Error.WriteLine($"{label}: {percent}%");
        }
    }

    /// <inheritdoc />
    public void Report(string value) => Console.Error.WriteLine($"{label}: {value}");
}
