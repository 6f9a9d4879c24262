namespace MetricsPipeline.Ingest.Model;

/// <summary>The type of a field value, as InfluxDB line protocol distinguishes them.</summary>
public enum FieldKind : byte
{
    /// <summary>64-bit IEEE float; written without a suffix (<c>1.5</c>).</summary>
    Float = 0,

    /// <summary>Signed 64-bit integer; written with the <c>i</c> suffix (<c>42i</c>).</summary>
    Integer = 1,

    /// <summary>Unsigned 64-bit integer; written with the <c>u</c> suffix (<c>42u</c>).</summary>
    UInteger = 2,

    /// <summary>A string; written in double quotes.</summary>
    String = 3,

    /// <summary>A boolean; written as <c>t</c>/<c>true</c>/<c>f</c>/<c>false</c> (any case the spec allows).</summary>
    Boolean = 4,
}
