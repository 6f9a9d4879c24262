using System.Globalization;
using System.IO.Compression;
using System.Text;

namespace MetricsPipeline.Host.Bench;

/// <summary>Builds realistic write bodies: Telegraf-like cpu/mem/net lines from 500 hosts, second precision.</summary>
internal static class HttpBenchPayload
{
    /// <summary>Builds <paramref name="count"/> distinct bodies of <paramref name="lines"/> lines each.</summary>
    public static byte[][] Build(int count, int lines)
    {
        var random = new Random(42);
        var bodies = new byte[count][];
        var t = 1_763_800_000L;
        for (var b = 0; b < count; b++)
        {
            var text = new StringBuilder(lines * 110);
            for (var i = 0; i < lines; i++)
            {
                var host = random.Next(500);
                switch (i % 3)
                {
                    case 0:
                        text.Append(CultureInfo.InvariantCulture, $"cpu,host=host{host:D3},region=eu-west-1,cpu=cpu-total usage_user={random.NextDouble() * 100:F3},usage_system={random.NextDouble() * 20:F3},usage_idle={random.NextDouble() * 100:F3} {t}\n");
                        break;
                    case 1:
                        text.Append(CultureInfo.InvariantCulture, $"mem,host=host{host:D3},region=eu-west-1 used={random.Next()}i,available={random.Next()}i,used_percent={random.NextDouble() * 100:F2} {t}\n");
                        break;
                    default:
                        text.Append(CultureInfo.InvariantCulture, $"net,host=host{host:D3},region=eu-west-1,interface=eth0 bytes_recv={random.Next()}i,bytes_sent={random.Next()}i,err_in=0i {t}\n");
                        break;
                }

                t += i % 50 == 0 ? 1 : 0;
            }

            bodies[b] = Encoding.UTF8.GetBytes(text.ToString());
        }

        return bodies;
    }

    /// <summary>Gzips a body (fastest level, as clients do).</summary>
    public static byte[] Gzip(byte[] body)
    {
        using var memory = new MemoryStream();
        using (var gzip = new GZipStream(memory, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(body);
        }

        return memory.ToArray();
    }
}
