using System.Buffers;
using System.IO.Compression;

namespace MetricsPipeline.HttpWrite;

/// <summary>Reads a request body (optionally gzip) into a pooled buffer, refusing more than a bound.</summary>
internal static class BodyReader
{
    /// <summary>
    /// Reads all of <paramref name="body"/>; returns <c>null</c> when it exceeds <paramref name="maxBytes"/> (after
    /// decompression when <paramref name="gzip"/>). The caller returns the buffer to <see cref="ArrayPool{T}.Shared"/>.
    /// </summary>
    /// <exception cref="InvalidDataException">The gzip stream is corrupt.</exception>
    public static async Task<(byte[] Buffer, int Length)?> ReadAsync(Stream body, bool gzip, int maxBytes, long? contentLength, CancellationToken cancellationToken)
    {
        Stream source = gzip ? new GZipStream(body, CompressionMode.Decompress, leaveOpen: true) : body;
        var initial = (int)Math.Clamp(gzip ? (contentLength ?? 64 * 1024) * 4 : contentLength ?? 64 * 1024, 4096, maxBytes + 1L);
        var buffer = ArrayPool<byte>.Shared.Rent(initial);
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (length > maxBytes)
                    {
                        ArrayPool<byte>.Shared.Return(buffer);
                        return null;
                    }

                    var bigger = ArrayPool<byte>.Shared.Rent((int)Math.Min(buffer.Length * 2L, maxBytes + 1L));
                    buffer.AsSpan(0, length).CopyTo(bigger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = bigger;
                }

                var read = await source.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                length += read;
                if (length > maxBytes)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    return null;
                }
            }

            return (buffer, length);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
        finally
        {
            if (gzip)
            {
                await source.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}
