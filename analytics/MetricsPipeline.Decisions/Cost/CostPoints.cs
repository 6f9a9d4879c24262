using MetricsPipeline.Ingest.Model;

namespace MetricsPipeline.Decisions.Cost;

/// <summary>Turns cost series into <see cref="MetricPoint"/>s for InfluxDB (measurement <c>cost</c>, tag <c>scope</c>). Thread-safe.</summary>
public static class CostPoints
{
    /// <summary>The measurement name.</summary>
    public const string Measurement = "cost";

    /// <summary>One point per day at the day's start (UTC): fields <c>daily_cost</c> and, when known, <c>usage</c>.</summary>
    public static MetricPoint ToPoint(string scope, DailyCost day)
    {
        var fields = new List<KeyValuePair<string, FieldValue>> { new("daily_cost", FieldValue.FromDouble(day.Cost)) };
        if (double.IsFinite(day.Usage))
        {
            fields.Add(new("usage", FieldValue.FromDouble(day.Usage)));
        }

        long ns = (day.Day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc).Ticks - DateTime.UnixEpoch.Ticks) * 100;
        return new MetricPoint(Measurement, [new("scope", scope)], fields, ns);
    }

    /// <summary>A projection as a point at its first day: fields <c>projected_cost</c>, <c>projected_lower</c>, <c>projected_upper</c>, <c>confidence</c>.</summary>
    public static MetricPoint ToPoint(string scope, string horizon, CostProjection projection)
    {
        ArgumentNullException.ThrowIfNull(projection);
        long ns = (projection.From.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc).Ticks - DateTime.UnixEpoch.Ticks) * 100;
        return new MetricPoint(Measurement, [new("horizon", horizon), new("scope", scope)],
        [
            new("projected_cost", FieldValue.FromDouble(projection.Cost)),
            new("projected_lower", FieldValue.FromDouble(projection.Lower)),
            new("projected_upper", FieldValue.FromDouble(projection.Upper)),
            new("confidence", FieldValue.FromDouble(projection.Confidence)),
        ], ns);
    }

    /// <summary>
    /// The running spend of one service over one evaluation window, at the window end: tags <c>scope</c> (the service)
    /// and <c>window</c>; fields <c>instances</c>, <c>hourly_cost</c> (instances × price per hour) and
    /// <c>window_cost</c> (the hourly cost × the window's length).
    /// </summary>
    public static MetricPoint ToPoint(string scope, string window, DateTimeOffset at, int instances, double pricePerInstanceHour, TimeSpan length)
    {
        double hourly = instances * pricePerInstanceHour;
        long ns = (at.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100;
        return new MetricPoint(Measurement, [new("scope", scope), new("window", window)],
        [
            new("instances", FieldValue.FromInt64(instances)),
            new("hourly_cost", FieldValue.FromDouble(hourly)),
            new("window_cost", FieldValue.FromDouble(hourly * length.TotalHours)),
        ], ns);
    }
}
