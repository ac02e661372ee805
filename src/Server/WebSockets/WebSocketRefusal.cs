using System.Buffers;
using System.Text.Json;

namespace Edge.Server.WebSockets;

/// <summary>
/// A handshake answered with an HTTP error instead of 101: the status, a stable error code, a human-readable message
/// (both constant text: never anything taken from the request, never a token) and optional extra headers such as
/// <c>WWW-Authenticate</c>. The body is <c>{"error":CODE,"message":TEXT}</c> unless
/// another protocol defines it.
/// </summary>
public sealed class WebSocketRefusal
{
    private static readonly KeyValuePair<string, string>[] NoHeaders = [];

    private readonly byte[]? _body;

    public WebSocketRefusal(int status, string code, string message, IReadOnlyList<KeyValuePair<string, string>>? headers = null)
    {
        if (status is < 300 or > 599)
        {
            throw new ArgumentOutOfRangeException(nameof(status), status, "a refusal is a 3xx-5xx status");
        }

        ArgumentException.ThrowIfNullOrEmpty(code);
        ArgumentNullException.ThrowIfNull(message);
        Status = status;
        Code = code;
        Message = message;
        Headers = headers ?? NoHeaders;
    }

    /// <summary>A refusal whose JSON body another protocol defines (Engine.IO's <c>{"code","message"}</c>).</summary>
    public static WebSocketRefusal WithBody(int status, string code, string message, byte[] body)
    {
        ArgumentNullException.ThrowIfNull(body);
        return new WebSocketRefusal(status, code, message, body, NoHeaders);
    }

    private WebSocketRefusal(int status, string code, string message, byte[] body, KeyValuePair<string, string>[] headers)
        : this(status, code, message, headers)
    {
        _body = body;
    }

    public int Status { get; }

    /// <summary>Stable machine-readable code, e.g. <c>TOKEN_EXPIRED</c>; also the metrics label.</summary>
    public string Code { get; }

    public string Message { get; }

    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; }

    /// <summary>The JSON body, UTF-8.</summary>
    public byte[] Body()
    {
        if (_body is not null)
        {
            return _body;
        }

        var output = new ArrayBufferWriter<byte>(64 + Code.Length + Message.Length);
        using (var json = new Utf8JsonWriter(output))
        {
            json.WriteStartObject();
            json.WriteString("error"u8, Code);
            json.WriteString("message"u8, Message);
            json.WriteEndObject();
        }

        return output.WrittenSpan.ToArray();
    }

    public override string ToString() => $"{Status} {Code}";
}
