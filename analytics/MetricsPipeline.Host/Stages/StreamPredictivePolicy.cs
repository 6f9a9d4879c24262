using System.Reflection;
using MetricsPipeline.Decisions.Commands;
using MetricsPipeline.Decisions.Forecasts;
using MetricsPipeline.Decisions.Scaling;

namespace MetricsPipeline.Host.Stages;

/// <summary>
/// Predictive scaling in the stream: one <see cref="PredictiveScalingPolicy"/> per service, because capacity per
/// instance is a property of the service. The capacity is configured or, failing that, estimated from the service's
/// own windows (<see cref="CapacityEstimate"/>); until it is known the service gets no predictive command. Not
/// thread-safe (the pipeline thread only).
/// </summary>
internal sealed partial class StreamPredictivePolicy : IScalingPolicy
{
    private static readonly PropertyInfo[] Settable = typeof(PredictiveScalingOptions)
        .GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .Where(p => p.CanRead && p.CanWrite)
        .ToArray();

    private readonly ScalingStageOptions _options;
    private readonly Func<string, ILoadForecaster> _forecasters;
    private readonly Dictionary<string, PredictiveScalingPolicy> _policies = new(StringComparer.Ordinal);
    private readonly Dictionary<string, CapacityEstimate> _estimates = new(StringComparer.Ordinal);

    /// <summary>Creates the policy.</summary>
    /// <param name="options">The stage's settings (predictive settings, capacities, min/max and price of the reactive policy).</param>
    /// <param name="forecasters">The load forecaster of a service.</param>
    public StreamPredictivePolicy(ScalingStageOptions options, Func<string, ILoadForecaster> forecasters)
    {
        _options = options;
        _forecasters = forecasters;
        // Fail at start, not on the first window: the settings other than the capacity must be valid.
        Options(1).Validate();
    }

    /// <summary>The capacity per instance in use for <paramref name="service"/>, or NaN while it is not known.</summary>
    public double CapacityOf(string service) =>
        _options.CapacityPerInstance.TryGetValue(service, out double configured) ? configured
        : _estimates.TryGetValue(service, out var estimate) ? estimate.Capacity : double.NaN;

    /// <inheritdoc />
    public ScalingCommand? Evaluate(ServiceSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        if (!_policies.TryGetValue(snapshot.Service, out var policy))
        {
            double capacity = Capacity(snapshot);
            if (!(capacity > 0))
            {
                return null;
            }

            policy = new PredictiveScalingPolicy(Options(capacity), _forecasters);
            _policies.Add(snapshot.Service, policy);
        }

        return policy.Evaluate(snapshot);
    }

    private double Capacity(ServiceSnapshot snapshot)
    {
        if (_options.CapacityPerInstance.TryGetValue(snapshot.Service, out double configured))
        {
            return configured;
        }

        if (!_estimates.TryGetValue(snapshot.Service, out var estimate))
        {
            estimate = new CapacityEstimate(_options.CapacityEstimateWindows);
            _estimates.Add(snapshot.Service, estimate);
        }

        estimate.Observe(snapshot);
        return estimate.Capacity;
    }

    private PredictiveScalingOptions Options(double capacity)
    {
        // A copy per service: a policy keeps its options, and only the capacity differs.
        var copy = new PredictiveScalingOptions();
        foreach (var property in Settable)
        {
            property.SetValue(copy, property.GetValue(_options.Predictive));
        }

        copy.CapacityPerInstance = capacity;
        copy.MinInstances = _options.Policy.MinInstances;
        copy.MaxInstances = _options.Policy.MaxInstances;
        copy.PricePerInstanceHour = _options.PricePerInstanceHour;
        copy.EvaluationInterval = _options.WindowSize;
        return copy;
    }
}
