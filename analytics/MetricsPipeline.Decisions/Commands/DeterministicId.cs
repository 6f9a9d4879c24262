using System.Security.Cryptography;
using System.Text;

namespace MetricsPipeline.Decisions.Commands;

/// <summary>Deterministic message ids: the first 128 bits of SHA-256 over the parts, as 32 lowercase hex characters. Thread-safe.</summary>
public static class DeterministicId
{
    /// <summary>Hashes the parts (joined by the unit separator, so ("a","bc") and ("ab","c") differ).</summary>
    public static string Compute(params ReadOnlySpan<string> parts)
    {
        var builder = new StringBuilder();
        for (int i = 0; i < parts.Length; i++)
        {
            if (i > 0)
            {
                builder.Append('\u001f');
            }

            builder.Append(parts[i]);
        }

        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(builder.ToString()), hash);
        return Convert.ToHexStringLower(hash[..16]);
    }
}
