using System.CommandLine;
using MetricsPipeline.Sinks.InfluxDb;

namespace MetricsPipeline.Host.Commands;

/// <summary>The InfluxDB output options of <c>demo</c>: v1 (<c>--influx-db</c>) or v2 (<c>--influx-org/-bucket/-token</c>).</summary>
internal sealed class InfluxCliOptions
{
    public Option<string?> Url { get; } = new("--influx-url") { Description = "InfluxDB URL, e.g. http://127.0.0.1:8086. Without it, output goes to line-protocol files under --out." };

    public Option<string?> Database { get; } = new("--influx-db") { Description = "InfluxDB 1.x database (v1 API). Created if missing." };

    public Option<string?> RetentionPolicy { get; } = new("--influx-rp") { Description = "InfluxDB 1.x retention policy (v1 API); default: the database's default." };

    public Option<string?> User { get; } = new("--influx-user") { Description = "InfluxDB 1.x user (v1 basic auth)." };

    public Option<string?> Password { get; } = new("--influx-password") { Description = "InfluxDB 1.x password; prefer the INFLUXDB_PASSWORD environment variable." };

    public Option<string?> Org { get; } = new("--influx-org") { Description = "InfluxDB 2.x organisation (v2 API)." };

    public Option<string?> Bucket { get; } = new("--influx-bucket") { Description = "InfluxDB 2.x bucket (v2 API)." };

    public Option<string?> Token { get; } = new("--influx-token") { Description = "InfluxDB 2.x token; prefer the INFLUXDB_TOKEN environment variable." };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Url, Database, RetentionPolicy, User, Password, Org, Bucket, Token })
        {
            command.Options.Add(option);
        }
    }

    /// <summary>The InfluxDB settings, or <c>null</c> when <c>--influx-url</c> is absent. Throws naming a bad combination.</summary>
    public InfluxDbOptions? Build(ParseResult parse)
    {
        var url = parse.GetValue(Url);
        if (string.IsNullOrWhiteSpace(url))
        {
            if (parse.GetValue(Database) is not null || parse.GetValue(Bucket) is not null)
            {
                throw new ArgumentException("--influx-db/--influx-bucket need --influx-url.");
            }

            return null;
        }

        var options = new InfluxDbOptions
        {
            Url = url,
            Database = parse.GetValue(Database),
            RetentionPolicy = parse.GetValue(RetentionPolicy),
            Username = parse.GetValue(User),
            Password = parse.GetValue(Password) ?? Environment.GetEnvironmentVariable("INFLUXDB_PASSWORD"),
            Org = parse.GetValue(Org),
            Bucket = parse.GetValue(Bucket),
            Token = parse.GetValue(Token) ?? Environment.GetEnvironmentVariable("INFLUXDB_TOKEN"),
        };
        if (options.Database is null && options.Bucket is null)
        {
            throw new ArgumentException("--influx-url needs --influx-db (InfluxDB 1.x) or --influx-org, --influx-bucket and --influx-token (InfluxDB 2.x).");
        }

        options.Validate();
        return options;
    }
}
