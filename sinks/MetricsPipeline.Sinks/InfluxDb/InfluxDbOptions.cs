using MetricsPipeline.Ingest.Model;

namespace MetricsPipeline.Sinks.InfluxDb;

/// <summary>
/// Where and how <see cref="InfluxDbWriter"/> writes, bound from the <c>InfluxDb</c> configuration section.
/// Secrets (<see cref="Password"/>, <see cref="Token"/>) should come from environment variables
/// (<c>InfluxDb__Token</c>) or files, never from checked-in configuration; they are never logged.
/// </summary>
public sealed class InfluxDbOptions
{
    /// <summary>The configuration section name: <c>InfluxDb</c>.</summary>
    public const string SectionName = "InfluxDb";

    /// <summary>The server's base URL. The default is <c>http://localhost:8086</c>.</summary>
    public string Url { get; set; } = "http://localhost:8086";

    /// <summary>
    /// The write API. The default (<c>null</c>) infers it: <see cref="InfluxDbApiVersion.V2"/> when
    /// <see cref="Org"/>, <see cref="Bucket"/> or <see cref="Token"/> is set, else <see cref="InfluxDbApiVersion.V1"/>.
    /// </summary>
    public InfluxDbApiVersion? ApiVersion { get; set; }

    /// <summary>v1: the database to write to. Required for v1; no default.</summary>
    public string? Database { get; set; }

    /// <summary>v1: the retention policy; <c>null</c> (the default) uses the database's default policy.</summary>
    public string? RetentionPolicy { get; set; }

    /// <summary>v1: the user name for basic auth; <c>null</c> (the default) sends no credentials.</summary>
    public string? Username { get; set; }

    /// <summary>v1: the password for basic auth. The default is <c>null</c>.</summary>
    public string? Password { get; set; }

    /// <summary>v2: the organisation name or id. Required for v2.</summary>
    public string? Org { get; set; }

    /// <summary>v2: the bucket. Required for v2.</summary>
    public string? Bucket { get; set; }

    /// <summary>v2: the API token, sent as <c>Authorization: Token …</c>. Required for v2.</summary>
    public string? Token { get; set; }

    /// <summary>The timestamp unit sent and written. The default is nanoseconds.</summary>
    public TimestampPrecision Precision { get; set; } = TimestampPrecision.Nanoseconds;

    /// <summary>Whether request bodies are gzip-compressed. The default is <c>true</c>.</summary>
    public bool Gzip { get; set; } = true;

    /// <summary>The timeout of one HTTP request; a timeout is retried. The default is 10 s.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The tag whose value selects a point's retention policy in <see cref="RetentionPolicies"/>. The default is
    /// <c>window</c>, the tag the window stage writes (<c>10s</c>, <c>1m</c>, <c>5m</c>, <c>1h</c>).
    /// </summary>
    public string RetentionPolicyTag { get; set; } = "window";

    /// <summary>
    /// Retention policy per value of <see cref="RetentionPolicyTag"/>, e.g. <c>{"1m": "agg_1m", "5m": "agg_5m",
    /// "1h": "agg_1h"}</c>: each batch is split by policy and every part is written with <c>rp=&lt;name&gt;</c> (v1), or
    /// to the bucket mapped in <see cref="RetentionPolicyBuckets"/> (v2). Points without the tag or with an unlisted value
    /// go to <see cref="RetentionPolicy"/> (v1) or <see cref="Bucket"/> (v2). The analytics host fills this from the
    /// window and rollup settings, so a window is written to the policy its result names. The policies must exist
    /// (v1: <c>CREATE RETENTION POLICY</c>). The default is empty (no routing).
    /// </summary>
    public IDictionary<string, string> RetentionPolicies { get; set; } = new Dictionary<string, string>();

    /// <summary>
    /// v2: the bucket that stands for each retention policy named in <see cref="RetentionPolicies"/>, the same pairing
    /// a DBRP mapping declares (<c>influx v1 dbrp create --db metrics --rp agg_5m --bucket-id …</c>), so v1 InfluxQL
    /// queries by <c>"metrics"."agg_5m"</c> and the v2 writes meet. Every routed policy needs an entry. The default is empty.
    /// </summary>
    public IDictionary<string, string> RetentionPolicyBuckets { get; set; } = new Dictionary<string, string>();

    /// <summary>The API actually used: <see cref="ApiVersion"/>, or the inferred one.</summary>
    public InfluxDbApiVersion EffectiveApiVersion =>
        ApiVersion ?? (Org is not null || Bucket is not null || Token is not null ? InfluxDbApiVersion.V2 : InfluxDbApiVersion.V1);

    /// <summary>
    /// Throws <see cref="InvalidOperationException"/> naming every bad setting, e.g.
    /// "InfluxDb:Database must be set for the v1 API".
    /// </summary>
    public void Validate()
    {
        var problems = new List<string>();
        if (!Uri.TryCreate(Url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            problems.Add($"{SectionName}:Url must be an absolute http or https URL (got '{Url}')");
        }

        if (EffectiveApiVersion == InfluxDbApiVersion.V1)
        {
            if (string.IsNullOrWhiteSpace(Database))
            {
                problems.Add($"{SectionName}:Database must be set for the v1 API");
            }

            if (Username is not null && Password is null)
            {
                problems.Add($"{SectionName}:Password must be set when {SectionName}:Username is set");
            }
        }
        else
        {
            if (string.IsNullOrWhiteSpace(Org))
            {
                problems.Add($"{SectionName}:Org must be set for the v2 API");
            }

            if (string.IsNullOrWhiteSpace(Bucket))
            {
                problems.Add($"{SectionName}:Bucket must be set for the v2 API");
            }

            if (string.IsNullOrWhiteSpace(Token))
            {
                problems.Add($"{SectionName}:Token must be set for the v2 API");
            }
        }

        foreach (var (tagValue, policy) in RetentionPolicies)
        {
            if (string.IsNullOrWhiteSpace(policy))
            {
                problems.Add($"{SectionName}:RetentionPolicies:{tagValue} must name a retention policy");
            }
            else if (EffectiveApiVersion == InfluxDbApiVersion.V2
                && !(RetentionPolicyBuckets.TryGetValue(policy, out var bucket) && !string.IsNullOrWhiteSpace(bucket)))
            {
                problems.Add($"{SectionName}:RetentionPolicyBuckets:{policy} must name the bucket of retention policy '{policy}' for the v2 API (the bucket its DBRP mapping points to)");
            }
        }

        if (RetentionPolicies.Count > 0 && string.IsNullOrWhiteSpace(RetentionPolicyTag))
        {
            problems.Add($"{SectionName}:RetentionPolicyTag must be set when {SectionName}:RetentionPolicies is");
        }

        if (Timeout <= TimeSpan.Zero)
        {
            problems.Add($"{SectionName}:Timeout must be positive (got {Timeout})");
        }

        if (!Enum.IsDefined(Precision))
        {
            problems.Add($"{SectionName}:Precision is not a known precision (got {Precision})");
        }

        if (problems.Count > 0)
        {
            throw new InvalidOperationException(string.Join("; ", problems) + ".");
        }
    }
}
