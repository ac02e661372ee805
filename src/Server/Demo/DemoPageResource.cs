using System.Security.Cryptography;
using System.Text;
using DotNetty.Transport.Channels;
using Edge.Server.Http;

namespace Edge.Server.Demo;

/// <summary>
/// One file of the demo page, held in memory from start: its bytes, its content type and a strong ETag (a hash of
/// the bytes). Answers GET (200 or 304 on a matching If-None-Match) and HEAD (the headers alone).
/// </summary>
public sealed class DemoPageResource
{
    /// <summary>Browsers keep the file but ask again each time (cheap 304s), so a new Edge build shows at once.</summary>
    private const string CacheControl = "no-cache";

    private readonly KeyValuePair<string, string>[] _extraHeaders;

    public DemoPageResource(string path, string contentType, byte[] body, IReadOnlyList<KeyValuePair<string, string>>? extraHeaders = null)
    {
        Path = path;
        ContentType = contentType;
        Body = body;
        ETag = "\"" + Convert.ToHexStringLower(SHA256.HashData(body).AsSpan(0, 12)) + "\"";
        _extraHeaders = extraHeaders is null ? [] : [.. extraHeaders];
    }

    /// <summary>The request path that serves this file.</summary>
    public string Path { get; }

    public string ContentType { get; }

    public byte[] Body { get; }

    /// <summary>The strong entity tag, quoted.</summary>
    public string ETag { get; }

    public Task WriteAsync(IChannelHandlerContext context, HttpRequestHead request)
    {
        var notModified = Matches(request.Header("If-None-Match"));
        var status = notModified ? 304 : 200;
        var head = new StringBuilder(512);
        head.Append("HTTP/1.1 ").Append(status).Append(' ').Append(notModified ? "Not Modified" : "OK").Append("\r\n");
        if (!notModified)
        {
            // HEAD gets the length the GET body would have (RFC 9110 9.3.2); a 304 has no content headers.
            head.Append("Content-Type: ").Append(ContentType).Append("\r\n");
            head.Append("Content-Length: ").Append(Body.Length).Append("\r\n");
        }

        head.Append("ETag: ").Append(ETag).Append("\r\n");
        head.Append("Cache-Control: ").Append(CacheControl).Append("\r\n");
        head.Append("X-Content-Type-Options: nosniff\r\n");
        foreach (var header in _extraHeaders)
        {
            head.Append(header.Key).Append(": ").Append(header.Value).Append("\r\n");
        }

        head.Append(request.KeepAlive ? "Connection: keep-alive\r\n\r\n" : "Connection: close\r\n\r\n");
        var withBody = !notModified && request.Method != "HEAD";
        var text = head.ToString();
        var buffer = context.Allocator.Buffer(text.Length + (withBody ? Body.Length : 0));
        buffer.WriteBytes(Encoding.ASCII.GetBytes(text));
        if (withBody)
        {
            buffer.WriteBytes(Body);
        }

        var written = context.WriteAndFlushAsync(buffer);
        if (!request.KeepAlive)
        {
            written.ContinueWith(static (_, state) => ((IChannelHandlerContext)state!).CloseAsync(), context, TaskScheduler.Default);
        }

        return written;
    }

    /// <summary>If-None-Match: a list of entity tags (weak ones compare by their opaque part, RFC 9110 13.1.2) or *.</summary>
    private bool Matches(string? ifNoneMatch)
    {
        if (string.IsNullOrEmpty(ifNoneMatch))
        {
            return false;
        }

        foreach (var part in ifNoneMatch.Split(','))
        {
            var tag = part.Trim();
            if (tag == "*")
            {
                return true;
            }

            if (tag.StartsWith("W/", StringComparison.Ordinal))
            {
                tag = tag[2..];
            }

            if (string.Equals(tag, ETag, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
