using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace MetricsPipeline.HttpWrite;

/// <summary>
/// Checks the credentials InfluxDB clients send: <c>Authorization: Token X</c> (v2, Telegraf), <c>Bearer X</c>,
/// <c>Basic base64(user:X)</c> and the v1 query parameters <c>u</c>/<c>p</c> (the password is the token).
/// Constant-time comparison.
/// </summary>
internal static class WriteAuthorizer
{
    /// <summary>True when no token is configured or the request carries it.</summary>
    public static bool IsAuthorized(HttpRequest request, string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return true;
        }

        var header = request.Headers.Authorization.ToString();
        string? presented = null;
        if (header.StartsWith("Token ", StringComparison.OrdinalIgnoreCase) || header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            presented = header[(header.IndexOf(' ', StringComparison.Ordinal) + 1)..].Trim();
        }
        else if (header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..].Trim()));
                var colon = decoded.IndexOf(':', StringComparison.Ordinal);
                presented = colon < 0 ? decoded : decoded[(colon + 1)..];
            }
            catch (FormatException)
            {
                return false;
            }
        }
        else if (request.Query.TryGetValue("p", out var password))
        {
            presented = password.ToString();
        }

        return presented is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), Encoding.UTF8.GetBytes(token));
    }
}
