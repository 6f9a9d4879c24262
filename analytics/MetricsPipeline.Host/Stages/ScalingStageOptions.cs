using MetricsPipeline.Decisions.Alerts;
using MetricsPipeline.Decisions.Scaling;
using Microsoft.Extensions.Configuration;

namespace MetricsPipeline.Host.Stages;

/// <summary>
/// Settings of the decision stage (<see cref="ScalingStage"/>). Bind from <c>Analytics:Scaling</c>; the alert switch
/// is <c>Analytics:Alerts:Enabled</c> and the price <c>Analytics:Cost:PricePerInstanceHour</c>.
/// </summary>
public sealed class ScalingStageOptions
{
    /// <summary>Whether the stage runs at all. The default is true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// The window size the stage evaluates on; one evaluation per service per window. The default is 1 minute, the
    /// evaluation interval the playbooks' rules are written for.
    /// </summary>
    public TimeSpan WindowSize { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Whether threshold alerts are evaluated and published. The default is true.</summary>
    public bool AlertsEnabled { get; set; } = true;

    /// <summary>
    /// How long a service may send nothing before its threshold-alert states that are not firing are dropped (bind
    /// <c>Analytics:Alerts:StateRetention</c>): a service that never comes back then holds no memory, and one that comes
    /// back starts clean. Must be positive. The default is 1 day.
    /// </summary>
    public TimeSpan AlertStateRetention { get; set; } = ThresholdAlertEvaluator.DefaultIdleStateRetention;

    /// <summary>The price of one instance per hour, for <c>cost</c> points and cost deltas in commands. The default is 0.10.</summary>
    public double PricePerInstanceHour { get; set; } = 0.10;

    /// <summary>
    /// Overrides of the playbook's threshold alert rules by rule name (bind <c>Analytics:Alerts:Rules</c>, e.g.
    /// <c>Analytics:Alerts:Rules:cpu_high:For = 00:05:00</c>): "for" duration, re-notify interval, flapping limits and
    /// levels. The default is none: the playbook's rules as they are.
    /// </summary>
    public Dictionary<string, AlertRuleOptions> AlertRules { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The reactive policy's rules (playbook defaults; bind <c>Analytics:Scaling:Policy</c>).</summary>
    public ScalingPolicyOptions Policy { get; set; } = new();

    /// <summary>
    /// Whether predictive scaling runs next to the reactive policy (on the forecast stage's request-rate forecasts;
    /// the larger scale-out wins). The default is true.
    /// </summary>
    public bool PredictiveEnabled { get; set; } = true;

    /// <summary>
    /// The predictive policy's settings (bind <c>Analytics:Scaling:Predictive</c>): mode, target utilisation, start-up
    /// delay and buffer (the lead time), stabilisation. Its <c>CapacityPerInstance</c> is ignored: capacity is per
    /// service (<see cref="CapacityPerInstance"/>). Min/max instances and the price come from <see cref="Policy"/>.
    /// </summary>
    public PredictiveScalingOptions Predictive { get; set; } = new();

    /// <summary>
    /// Requests per second one instance of a service serves at 100 % CPU, by service (bind
    /// <c>Analytics:Scaling:CapacityPerInstance:api = 450</c>). A service without an entry has its capacity estimated
    /// from its own windows (<see cref="CapacityEstimateWindows"/>). The default is empty.
    /// </summary>
    public Dictionary<string, double> CapacityPerInstance { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Windows of a service used to estimate its capacity per instance when none is configured: the median of
    /// request rate per instance / (CPU / 100) over windows with CPU between 10 % and 95 %. Predictive scaling starts
    /// for the service once this many windows were seen. The default is 30.
    /// </summary>
    public int CapacityEstimateWindows { get; set; } = 30;

    /// <summary>
    /// A command equal to the service's last published one (action, current and target count) is not published again
    /// within this much event time. The default is 10 minutes.
    /// </summary>
    public TimeSpan RepeatInterval { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Scheduled minimums (bind <c>Analytics:Scaling:Schedules:0:Service = api</c>, <c>…:Cron = 0 8 * * 1-5</c>,
    /// <c>…:Duration = 10:00:00</c>, <c>…:MinInstances = 12</c>): while a window is open the service is scaled out to
    /// its minimum (trigger <c>scheduled</c>) and no other policy scales it in below it. The default is none.
    /// </summary>
    public List<ScheduledScalingOptions> Schedules { get; set; } = [];

    /// <summary>
    /// Growth phases by active users (bind <c>Analytics:Scaling:Phases:0:Name = startup</c>, <c>…:MinActiveUsers</c>,
    /// <c>…:MinInstances</c>, <c>…:MaxInstances</c>, <c>…:TargetCpuPercent</c>): a phase change is a command (trigger
    /// <c>phase</c>), the phase's min/max bound every other policy's commands and its CPU target replaces the reactive
    /// policy's while it is active. The default is none (no phases).
    /// A restore starts each service's phase afresh from its next window.
    /// </summary>
    public List<GrowthPhaseOptions> Phases { get; set; } = [];

    /// <summary>The cost engine in the stream (bind <c>Analytics:Cost</c>).</summary>
    public StreamCostOptions Cost { get; set; } = new();

    /// <summary>
    /// The options as <see cref="ScalingStage.Create"/> reads them: <c>Analytics:Scaling</c>, <c>Analytics:Alerts:Enabled</c>,
    /// <c>Analytics:Alerts:StateRetention</c>, <c>Analytics:Alerts:Rules</c>, <c>Analytics:Cost:PricePerInstanceHour</c> and
    /// <c>Analytics:Cost</c>; the defaults when <paramref name="configuration"/> is null. Ranges are checked by the stage.
    /// </summary>
    /// <param name="configuration">The configuration, or null.</param>
    /// <exception cref="ArgumentException">A key binds to nothing (a misspelling); the message names it.</exception>
    /// <exception cref="InvalidOperationException">A value cannot be converted to its type (the message names its key).</exception>
    public static ScalingStageOptions From(IConfiguration? configuration)
    {
        var options = new ScalingStageOptions();
        if (configuration is null)
        {
            return options;
        }

        // Unknown keys first: the binder skips them silently, so a misspelt Enabled or capacity would change nothing.
        ConfigurationKeyCheck.ThrowOnUnknownKeys(configuration.GetSection("Analytics:Scaling"), typeof(ScalingStageOptions));
        ConfigurationKeyCheck.ThrowOnUnknownKeys(configuration.GetSection("Analytics:Alerts"), typeof(AlertsSection));
        ConfigurationKeyCheck.ThrowOnUnknownKeys(configuration.GetSection("Analytics:Cost"), typeof(StreamCostOptions), nameof(PricePerInstanceHour));
        configuration.GetSection("Analytics:Scaling").Bind(options);
        options.AlertsEnabled = configuration.GetValue("Analytics:Alerts:Enabled", options.AlertsEnabled);
        options.AlertStateRetention = configuration.GetValue("Analytics:Alerts:StateRetention", options.AlertStateRetention);
        configuration.GetSection("Analytics:Alerts:Rules").Bind(options.AlertRules);
        options.PricePerInstanceHour = configuration.GetValue("Analytics:Cost:PricePerInstanceHour", options.PricePerInstanceHour);
        configuration.GetSection("Analytics:Cost").Bind(options.Cost);
        return options;
    }

    /// <summary>The keys of <c>Analytics:Alerts</c>, for the unknown-key check only.</summary>
    private sealed class AlertsSection
    {
        public bool Enabled { get; set; }

        public TimeSpan StateRetention { get; set; }

        public Dictionary<string, AlertRuleOptions> Rules { get; set; } = [];
    }
}
