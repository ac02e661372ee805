namespace Edge.Server.Http;

/// <summary>
/// A parsed HTTP/1.1 request: request line, headers and (small, bounded) body.
/// Requests are rare next to price frames, so this is an ordinary object.
/// </summary>
public sealed class HttpRequestHead
{
    public HttpRequestHead(string method, string target, string version, IReadOnlyList<KeyValuePair<string, string>> headers, byte[] body)
    {
        Method = method;
        Target = target;
        Version = version;
        Headers = headers;
        Body = body;
        var query = target.IndexOf('?', StringComparison.Ordinal);
        Path = query < 0 ? target : target[..query];
        Query = query < 0 ? string.Empty : target[(query + 1)..];
    }

    public string Method { get; }

    /// <summary>The request target as sent (origin form: path and optional query).</summary>
    public string Target { get; }

    public string Path { get; }

    /// <summary>The raw query string without the leading '?', still percent-encoded.</summary>
    public string Query { get; }

    public string Version { get; }

    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; }

    public byte[] Body { get; }

    /// <summary>The first value of a header (names compare case-insensitively), or null.</summary>
    public string? Header(string name)
    {
        for (var i = 0; i < Headers.Count; i++)
        {
            if (string.Equals(Headers[i].Key, name, StringComparison.OrdinalIgnoreCase))
            {
                return Headers[i].Value;
            }
        }

        return null;
    }

    /// <summary>True when a comma-separated header (e.g. Connection) carries the token, case-insensitively.</summary>
    public bool HeaderHasToken(string name, string token)
    {
        for (var i = 0; i < Headers.Count; i++)
        {
            if (!string.Equals(Headers[i].Key, name, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            foreach (var part in Headers[i].Value.Split(','))
            {
                if (string.Equals(part.Trim(), token, StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>HTTP/1.1 keeps the connection unless told to close; HTTP/1.0 closes unless told to keep it.</summary>
    public bool KeepAlive =>
        Version == "HTTP/1.1" ? !HeaderHasToken("Connection", "close") : HeaderHasToken("Connection", "keep-alive");
}
