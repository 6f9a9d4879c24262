namespace MetricsPipeline.Fleet;

/// <summary>Per-service state of the simulator: profile, identity hash, instance count and cached series keys.</summary>
internal sealed class ServiceState
{
    public ServiceState(ServiceProfile profile, IEnumerable<Incident> incidents, int instances)
    {
        Profile = profile;
        Hash = StableHash.Of(profile.Name);
        Spikes = incidents.OfType<TrafficSpike>().Where(i => i.Service == profile.Name).ToArray();
        Degradations = incidents.OfType<LatencyDegradation>().Where(i => i.Service == profile.Name).ToArray();
        Leaks = incidents.OfType<MemoryLeak>().Where(i => i.Service == profile.Name).ToArray();
        InstanceCount = instances;
    }

    public ServiceProfile Profile { get; }

    public ulong Hash { get; }

    public TrafficSpike[] Spikes { get; }

    public LatencyDegradation[] Degradations { get; }

    public MemoryLeak[] Leaks { get; }

    /// <summary>Written under the simulator's count lock, read with <see cref="Volatile"/>.</summary>
    public int InstanceCount;

    /// <summary>Escaped <c>service,...</c> series keys by instance index (grown on demand under the generation lock).</summary>
    public List<byte[]> ServiceKeys { get; } = [];

    /// <summary>Escaped <c>http_request,...</c> series keys by instance index.</summary>
    public List<byte[]> RequestKeys { get; } = [];

    /// <summary>Tag sets (sorted by key) by instance index, for the allocating path.</summary>
    public List<KeyValuePair<string, string>[]> Tags { get; } = [];

    public ulong InstanceHash(int index) => StableHash.Combine(Hash, index + 1);
}
