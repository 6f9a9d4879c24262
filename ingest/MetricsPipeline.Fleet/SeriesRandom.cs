namespace MetricsPipeline.Fleet;

/// <summary>
/// A small SplitMix64 generator whose state is derived from the seed, a series identity and a timestamp, so the
/// numbers of one series in one interval never depend on what was generated before (replays and partial
/// generation see identical values).
/// </summary>
internal struct SeriesRandom
{
    private const ulong Golden = 0x9E3779B97F4A7C15UL;
    private ulong _state;
    private double _spare;
    private bool _hasSpare;

    public SeriesRandom(long seed, ulong series, long timestampNs, ulong stream)
    {
        var s = Mix(unchecked((ulong)seed + Golden));
        s = Mix(s ^ series);
        s = Mix(s ^ unchecked((ulong)timestampNs));
        _state = Mix(s ^ (stream * Golden));
        _spare = 0;
        _hasSpare = false;
    }

    public static ulong Mix(ulong z)
    {
        unchecked
        {
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
    }

    public ulong NextUInt64()
    {
        unchecked
        {
            _state += Golden;
            return Mix(_state);
        }
    }

    /// <summary>Uniform in [0, 1).</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in (0, 1], safe for logarithms and negative powers.</summary>
    public double NextDoubleNonZero() => ((NextUInt64() >> 11) + 1) * (1.0 / (1UL << 53));

    /// <summary>Standard normal (Box–Muller, both values used).</summary>
    public double NextGaussian()
    {
        if (_hasSpare)
        {
            _hasSpare = false;
            return _spare;
        }

        var r = Math.Sqrt(-2.0 * Math.Log(NextDoubleNonZero()));
        var (sin, cos) = Math.SinCos(2.0 * Math.PI * NextDouble());
        _spare = r * sin;
        _hasSpare = true;
        return r * cos;
    }
}
