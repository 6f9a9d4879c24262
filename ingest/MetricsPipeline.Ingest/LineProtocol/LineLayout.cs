namespace MetricsPipeline.Ingest.LineProtocol;

/// <summary>Where the parts of a validated line are, as offsets into the line (measurement first, then tags, fields).</summary>
internal struct LineLayout
{
    public int MeasurementStart;
    public int MeasurementEnd;
    public int SeriesKeyEnd;
    public int FieldsStart;
    public int FieldsEnd;
    public int TagCount;
    public int FieldCount;
    public bool TagsSorted;
    public bool HasTimestamp;
    public long TimestampNs;
}
