namespace MetricsPipeline.Sinks.InfluxDb;

/// <summary>Which InfluxDB write API to use.</summary>
public enum InfluxDbApiVersion
{
    /// <summary>InfluxDB 1.x: <c>/write?db=&amp;rp=&amp;precision=</c> with optional basic auth.</summary>
    V1 = 1,

    /// <summary>InfluxDB 2.x/3.x: <c>/api/v2/write?org=&amp;bucket=&amp;precision=</c> with <c>Authorization: Token …</c>.</summary>
    V2 = 2,
}
