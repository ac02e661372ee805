namespace Edge.Server.Admission;

/// <summary>The one Origin rule for every transport that admits browsers (WebSocket, SSE, socket.io).</summary>
public static class OriginPolicy
{
    /// <summary>True when <paramref name="origin"/> may connect: no list, no Origin header, or listed (case-insensitive).</summary>
    public static bool IsAllowed(string[] allowedOrigins, string? origin)
    {
        if (allowedOrigins.Length == 0 || origin is null)
        {
            return true;
        }

        var trimmed = origin.Trim();
        foreach (var allowed in allowedOrigins)
        {
            if (string.Equals(allowed, trimmed, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
