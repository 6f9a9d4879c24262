using System.Text;
using MetricsPipeline.Analytics.Windows;
using Xunit;

namespace MetricsPipeline.Analytics.Tests.Windows;

public class SeriesKeyIndexTests
{
    private static byte[] Key(int i) => Encoding.UTF8.GetBytes($"cpu,host=h{i:D7},region=r{i % 7}");

    [Fact]
    public void WhenManyKeysAreAddedThenEachIsFoundByItsBytesAndUnknownOnesAreNot()
    {
        var index = new SeriesKeyIndex();
        for (var i = 0; i < 5_000; i++)
        {
            Assert.Equal(-1, index.Find(Key(i)));
            Assert.Equal(i, index.Add(Key(i)));
        }

        Assert.Equal(5_000, index.Count);
        // Reverse and strided orders miss the "next id" guess and go through the table.
        for (var i = 4_999; i >= 0; i -= 3)
        {
            Assert.Equal(i, index.Find(Key(i)));
        }

        for (var i = 0; i < 5_000; i++)
        {
            Assert.Equal(i, index.Find(Key(i)));
            Assert.Equal(Key(i), index.Key(i).ToArray());
        }

        Assert.Equal(-1, index.Find(Key(5_000)));
        Assert.Equal(-1, index.Find("cpu,host=h0000001,region=r"u8));
        Assert.Equal(-1, index.Find(ReadOnlySpan<byte>.Empty));
    }

    [Fact]
    public void WhenKeysFillSeveralChunksOrExceedOneThenTheyAreStillFound()
    {
        var index = new SeriesKeyIndex();
        var big = new byte[(1 << 20) + 10];
        big.AsSpan().Fill((byte)'x');
        var keys = new List<byte[]>();
        for (var i = 0; i < 60_000; i++)
        {
            // ~40 bytes each: 2.4 MB, three chunks, with the oversized key in the middle.
            keys.Add(i == 30_000 ? big : Encoding.UTF8.GetBytes($"measurement_{i},tag_key=tag_value_{i:D8}"));
            index.Add(keys[^1]);
        }

        for (var i = 0; i < keys.Count; i += 7)
        {
            Assert.Equal(i, index.Find(keys[i]));
        }

        Assert.Equal(30_000, index.Find(big));
        Assert.Equal(30_001, index.Find(keys[30_001]));
    }

    [Fact]
    public void WhenKeysDifferOnlyInTheirTailThenTheHashSeparatesThem()
    {
        // Lengths 1..40 exercise the word loop, the overlapping tail read and the short-key path.
        var seen = new HashSet<ulong>();
        for (var length = 1; length <= 40; length++)
        {
            for (var last = 0; last < 256; last++)
            {
                var key = new byte[length];
                key[^1] = (byte)last;
                Assert.True(seen.Add(SeriesKeyIndex.Hash(key)), $"collision at length {length}, last byte {last}");
            }
        }
    }
}
