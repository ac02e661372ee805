using System.Text;
using DotNetty.Transport.Channels;

namespace Edge.Server.Http;

/// <summary>Writes small HTTP/1.1 responses (status, headers, body) as one buffer, closing after it when asked.</summary>
public static class HttpResponseWriter
{
    public static Task WriteAsync(
        IChannelHandlerContext context,
        int status,
        string contentType,
        ReadOnlySpan<byte> body,
        bool keepAlive,
        IReadOnlyList<KeyValuePair<string, string>>? headers = null)
    {
        var head = new StringBuilder(160);
        head.Append("HTTP/1.1 ").Append(status).Append(' ').Append(ReasonPhrase(status)).Append("\r\n");
        if (body.Length > 0 || status >= 200)
        {
            head.Append("Content-Length: ").Append(body.Length).Append("\r\n");
        }

        if (body.Length > 0)
        {
            head.Append("Content-Type: ").Append(contentType).Append("\r\n");
        }

        if (headers is not null)
        {
            for (var i = 0; i < headers.Count; i++)
            {
                head.Append(headers[i].Key).Append(": ").Append(headers[i].Value).Append("\r\n");
            }
        }

        head.Append(keepAlive ? "Connection: keep-alive\r\n" : "Connection: close\r\n");
        head.Append("\r\n");

        var text = head.ToString();
        var buffer = context.Allocator.Buffer(Encoding.ASCII.GetByteCount(text) + body.Length);
        buffer.WriteBytes(Encoding.ASCII.GetBytes(text));
        buffer.WriteBytes(body.ToArray());
        var written = context.WriteAndFlushAsync(buffer);
        if (!keepAlive)
        {
            written.ContinueWith(static (_, state) => ((IChannelHandlerContext)state!).CloseAsync(), context, TaskScheduler.Default);
        }

        return written;
    }

    /// <summary>Writes a JSON body; error bodies are always {"error": code, "message": text}.</summary>
    public static Task WriteJsonAsync(IChannelHandlerContext context, int status, string json, bool keepAlive, IReadOnlyList<KeyValuePair<string, string>>? headers = null) =>
        WriteAsync(context, status, "application/json", Encoding.UTF8.GetBytes(json), keepAlive, headers);

    public static string ReasonPhrase(int status) => status switch
    {
        101 => "Switching Protocols",
        200 => "OK",
        202 => "Accepted",
        204 => "No Content",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        413 => "Content Too Large",
        414 => "URI Too Long",
        426 => "Upgrade Required",
        429 => "Too Many Requests",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        503 => "Service Unavailable",
        505 => "HTTP Version Not Supported",
        _ => "Unknown",
    };
}
