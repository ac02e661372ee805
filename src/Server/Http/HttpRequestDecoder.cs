using System.Text;
using DotNetty.Buffers;
using DotNetty.Codecs;
using DotNetty.Transport.Channels;
using Edge.Server.WebSockets;

namespace Edge.Server.Http;

/// <summary>
/// Decodes HTTP/1.1 requests (request line, headers, a Content-Length body) into <see cref="HttpRequestHead"/>,
/// with hard limits. A request it refuses becomes one <see cref="HttpRequestRefusal"/>, after which the rest of
/// the connection's input is discarded: the handler behind it answers and closes.
/// After a request asking for a WebSocket upgrade it decodes nothing more: the bytes behind it may already be
/// WebSocket frames, which stay in the cumulation until the upgrade removes this decoder and DotNetty hands them on.
/// </summary>
public sealed class HttpRequestDecoder : ByteToMessageDecoder
{
    private static ReadOnlySpan<byte> HeaderEnd => "\r\n\r\n"u8;

    private readonly HttpLimits _limits;
    private int _scanned;
    private bool _failed;
    private HttpRequestHead? _awaitingBody;
    private int _bodyLength;
    private bool _upgradeRequested;

    public HttpRequestDecoder(HttpLimits limits)
    {
        _limits = limits;
    }

    protected override void Decode(IChannelHandlerContext context, IByteBuffer input, List<object> output)
    {
        if (_failed)
        {
            input.SkipBytes(input.ReadableBytes);
            return;
        }

        if (_upgradeRequested)
        {
            return;
        }

        if (_awaitingBody is not null)
        {
            ReadBody(input, output);
            return;
        }

        var readable = input.ReadableBytes;
        var window = Math.Min(readable, _limits.MaxHeaderBytes + HeaderEnd.Length);
        var bytes = ByteBufferSpan.Readable(input, window);
        var from = Math.Max(0, _scanned - (HeaderEnd.Length - 1));
        var end = bytes[from..].IndexOf(HeaderEnd);
        if (end < 0)
        {
            _scanned = bytes.Length;
            var firstLine = bytes.IndexOf("\r\n"u8);
            if (firstLine < 0 && bytes.Length > _limits.MaxRequestLineBytes)
            {
                Fail(input, output, 414, "request line too long");
            }
            else if (readable > _limits.MaxHeaderBytes)
            {
                Fail(input, output, 431, "request headers too large");
            }

            return;
        }

        end += from;
        _scanned = 0;
        var head = bytes[..end];
        var parsed = Parse(head, out var request, out var error);
        input.SkipBytes(end + HeaderEnd.Length);
        if (!parsed)
        {
            Fail(input, output, error!.Status, error.Reason);
            return;
        }

        var length = ContentLength(request!, out var lengthError);
        if (lengthError is not null)
        {
            Fail(input, output, lengthError.Status, lengthError.Reason);
            return;
        }

        if (length == 0)
        {
            Emit(request!, output);
            return;
        }

        _awaitingBody = request;
        _bodyLength = length;
        ReadBody(input, output);
    }

    private void ReadBody(IByteBuffer input, List<object> output)
    {
        if (input.ReadableBytes < _bodyLength)
        {
            return;
        }

        var body = new byte[_bodyLength];
        input.ReadBytes(body);
        var head = _awaitingBody!;
        _awaitingBody = null;
        Emit(new HttpRequestHead(head.Method, head.Target, head.Version, head.Headers, body), output);
    }

    private void Emit(HttpRequestHead request, List<object> output)
    {
        _upgradeRequested = request.HeaderHasToken("Upgrade", "websocket");
        output.Add(request);
    }

    private int ContentLength(HttpRequestHead request, out HttpRequestRefusal? error)
    {
        error = null;
        if (request.Header("Transfer-Encoding") is not null)
        {
            error = new HttpRequestRefusal(501, "transfer-encoding is not supported");
            return 0;
        }

        var value = request.Header("Content-Length");
        if (value is null)
        {
            return 0;
        }

        if (!int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var length))
        {
            error = new HttpRequestRefusal(400, "bad content-length");
            return 0;
        }

        if (length > _limits.MaxBodyBytes)
        {
            error = new HttpRequestRefusal(413, "request body too large");
            return 0;
        }

        return length;
    }

    private void Fail(IByteBuffer input, List<object> output, int status, string reason)
    {
        _failed = true;
        input.SkipBytes(input.ReadableBytes);
        output.Add(new HttpRequestRefusal(status, reason));
    }

    private bool Parse(ReadOnlySpan<byte> head, out HttpRequestHead? request, out HttpRequestRefusal? error)
    {
        request = null;
        var lineEnd = head.IndexOf("\r\n"u8);
        var line = lineEnd < 0 ? head : head[..lineEnd];
        if (line.Length > _limits.MaxRequestLineBytes)
        {
            error = new HttpRequestRefusal(414, "request line too long");
            return false;
        }

        if (!ParseRequestLine(line, out var method, out var target, out var version, out error))
        {
            return false;
        }

        var headers = new List<KeyValuePair<string, string>>();
        var rest = lineEnd < 0 ? ReadOnlySpan<byte>.Empty : head[(lineEnd + 2)..];
        while (!rest.IsEmpty)
        {
            var next = rest.IndexOf("\r\n"u8);
            var field = next < 0 ? rest : rest[..next];
            rest = next < 0 ? ReadOnlySpan<byte>.Empty : rest[(next + 2)..];
            if (headers.Count == _limits.MaxHeaderCount)
            {
                error = new HttpRequestRefusal(431, "too many request headers");
                return false;
            }

            if (!ParseHeader(field, out var header, out error))
            {
                return false;
            }

            headers.Add(header);
        }

        if (version == "HTTP/1.1" && !HasHeader(headers, "Host"))
        {
            error = new HttpRequestRefusal(400, "missing host header");
            return false;
        }

        request = new HttpRequestHead(method, target, version, headers, []);
        error = null;
        return true;
    }

    private static bool HasHeader(List<KeyValuePair<string, string>> headers, string name)
    {
        foreach (var header in headers)
        {
            if (string.Equals(header.Key, name, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private static bool ParseRequestLine(ReadOnlySpan<byte> line, out string method, out string target, out string version, out HttpRequestRefusal? error)
    {
        method = target = version = string.Empty;
        var firstSpace = line.IndexOf((byte)' ');
        var lastSpace = line.LastIndexOf((byte)' ');
        if (firstSpace <= 0 || lastSpace == firstSpace || !IsToken(line[..firstSpace]))
        {
            error = new HttpRequestRefusal(400, "malformed request line");
            return false;
        }

        var targetBytes = line[(firstSpace + 1)..lastSpace];
        var versionBytes = line[(lastSpace + 1)..];
        if (targetBytes.IsEmpty || targetBytes[0] != (byte)'/' || !IsVisibleAscii(targetBytes))
        {
            error = new HttpRequestRefusal(400, "malformed request target");
            return false;
        }

        if (!versionBytes.SequenceEqual("HTTP/1.1"u8) && !versionBytes.SequenceEqual("HTTP/1.0"u8))
        {
            error = versionBytes.StartsWith("HTTP/"u8)
                ? new HttpRequestRefusal(505, "http version not supported")
                : new HttpRequestRefusal(400, "malformed request line");
            return false;
        }

        method = Encoding.ASCII.GetString(line[..firstSpace]);
        target = Encoding.ASCII.GetString(targetBytes);
        version = Encoding.ASCII.GetString(versionBytes);
        error = null;
        return true;
    }

    private static bool ParseHeader(ReadOnlySpan<byte> field, out KeyValuePair<string, string> header, out HttpRequestRefusal? error)
    {
        header = default;
        var colon = field.IndexOf((byte)':');
        // RFC 9112 §5.1: no whitespace between name and colon; obsolete line folding is refused.
        if (colon <= 0 || !IsToken(field[..colon]))
        {
            error = new HttpRequestRefusal(400, "malformed header field");
            return false;
        }

        var value = field[(colon + 1)..].Trim(" \t"u8);
        foreach (var b in value)
        {
            if ((b < 0x20 && b != (byte)'\t') || b == 0x7F)
            {
                error = new HttpRequestRefusal(400, "malformed header value");
                return false;
            }
        }

        header = new KeyValuePair<string, string>(Encoding.ASCII.GetString(field[..colon]), Encoding.Latin1.GetString(value));
        error = null;
        return true;
    }

    private static bool IsToken(ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes)
        {
            var ok = (b >= (byte)'a' && b <= (byte)'z') || (b >= (byte)'A' && b <= (byte)'Z') || (b >= (byte)'0' && b <= (byte)'9')
                || "!#$%&'*+-.^_`|~"u8.IndexOf(b) >= 0;
            if (!ok)
            {
                return false;
            }
        }

        return !bytes.IsEmpty;
    }

    private static bool IsVisibleAscii(ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes)
        {
            if (b <= 0x20 || b >= 0x7F)
            {
                return false;
            }
        }

        return true;
    }
}
