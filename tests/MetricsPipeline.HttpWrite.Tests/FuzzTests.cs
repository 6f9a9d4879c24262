using System.Text;
using CsCheck;
using MetricsPipeline.HttpWrite;
using MetricsPipeline.Ingest.Model;
using MetricsPipeline.Scraper;
using MetricsPipeline.Agent.Collectd;
using Xunit;

namespace MetricsPipeline.HttpWrite.Tests;

/// <summary>
/// Drives the write path's parser and guard (and the scraper's and collectd's parsers) with random and mutated
/// inputs: no exception may escape, every line is either forwarded or rejected, and memory stays bounded. The run
/// is bounded to keep the suite fast; the number of lines is asserted so "millions" stays true.
/// </summary>
public sealed class FuzzTests
{
    private static readonly string[] Seeds =
    [
        "cpu,host=a,region=eu usage=1.5,idle=98i 1700000000000000000",
        "m,t=a\\ b f=\"str\\\"ing\",g=t",
        "weird\\,name,tag\\=k=v\\ x u=12u,b=FALSE -1",
        "disk,path=C:\\Temp free=1e10 1",
        "s v=\"multi\nline\" 5",
        "n v=NaN,w=inf 1",
        "x,a=1,a=2 v=1",
        "# comment",
        "",
    ];

    private static readonly byte[] Specials = " ,=\"\\\n\r\t#.-+eE0123456789iuTtFfNa\xff\x80"u8.ToArray();

    private static readonly Gen<byte[]> Mutated =
        Gen.Select(Gen.Int[0, Seeds.Length - 1], Gen.Int[0, 6], Gen.Int[0, 1_000_000], Gen.Byte.Array[0, 12])
            .Select((seed, ops, position, noise) =>
            {
                var bytes = new List<byte>(Encoding.UTF8.GetBytes(Seeds[seed]));
                for (var i = 0; i < ops && bytes.Count > 0; i++)
                {
                    var at = (position + (i * 7919)) % bytes.Count;
                    var b = noise.Length > 0 ? noise[i % noise.Length] : (byte)0;
                    switch ((position + i) % 5)
                    {
                        case 0: bytes[at] = Specials[b % Specials.Length]; break;
                        case 1: bytes.Insert(at, Specials[b % Specials.Length]); break;
                        case 2: bytes.RemoveAt(at); break;
                        case 3: bytes.InsertRange(at, noise); break;
                        default: bytes.AddRange(bytes.GetRange(0, Math.Min(at, 40))); break;
                    }
                }

                return bytes.ToArray();
            });

    private static readonly Gen<byte[]> Payload =
        Gen.Frequency((3, Mutated.Array[1, 20].Select(lines => lines.SelectMany(l => l.Append((byte)'\n')).ToArray())), (1, Gen.Byte.Array[0, 300]));

    private sealed class CountingTarget : ILineTarget
    {
        private long lines;

        public long Lines => Interlocked.Read(ref lines);

        public void Append(ReadOnlySpan<byte> seriesKey, ReadOnlySpan<byte> line)
        {
            if (line.Length == 0 || line[^1] != '\n' || seriesKey.Length == 0)
            {
                throw new InvalidOperationException("forwarded a malformed line");
            }

            Interlocked.Increment(ref lines);
        }
    }

    [Fact]
    public void WhenMillionsOfRandomAndMutatedLinesAreWrittenThenNothingThrowsAndMemoryStaysBounded()
    {
        var target = new CountingTarget();
        var options = new HttpWriteOptions { MaxSeriesPerMeasurement = 1_000, MaxTrackedFields = 20_000 };
        var statistics = new HttpWriteStatistics();
        var forwarder = new LineForwarder(target, options, statistics);
        long payloads = 0;

        // Warm up, then measure the heap after a first pass so steady state is compared with steady state.
        Payload.Sample(p => { forwarder.Forward(p, TimestampPrecision.Nanoseconds, "fuzz"); }, iter: 20_000);
        GC.Collect();
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var stopwatch = System.Diagnostics.Stopwatch.StartNew();
        while (statistics.LinesAccepted + statistics.LinesRejected < 1_000_000 && stopwatch.Elapsed < TimeSpan.FromSeconds(60))
        {
            Payload.Sample(
                p =>
                {
                    var outcome = forwarder.Forward(p, TimestampPrecision.Nanoseconds, "fuzz");
                    Assert.Equal(outcome.Rejected, outcome.DeadLetters.Count);
                    Interlocked.Increment(ref payloads);
                },
                iter: 20_000);
        }

        var after = GC.GetTotalMemory(forceFullCollection: true);

        var lines = statistics.LinesAccepted + statistics.LinesRejected;
        Assert.True(lines >= 1_000_000, $"only {lines} lines in {payloads} payloads");
        TestContext.Current.SendDiagnosticMessage($"fuzz: {lines} lines in {payloads} payloads, {statistics.LinesRejected} rejected, heap {(after - before) / 1024} KiB");
        Assert.Equal(statistics.LinesAccepted, target.Lines);
        Assert.True(statistics.LinesRejected > 0 && statistics.LinesAccepted > 0);
        Assert.True(after - before < 64L * 1024 * 1024, $"heap grew by {(after - before) / 1024 / 1024} MiB");
    }

    [Fact]
    public void WhenTheScraperAndCollectdParsersGetGarbageThenNoExceptionEscapes()
    {
        Gen.Byte.Array[0, 400].Sample(
            bytes =>
            {
                var text = Encoding.UTF8.GetString(bytes);
                var exposition = PrometheusTextParser.Parse(text, openMetrics: bytes.Length % 2 == 0);
                PrometheusLineMapper.Map(exposition, [], 0);
                CollectdJsonConverter.TryConvert(bytes, out _, out _);
            },
            iter: 100_000,
            time: 3);
    }
}
