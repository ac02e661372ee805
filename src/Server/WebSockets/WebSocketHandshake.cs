using System.Security.Cryptography;
using System.Text;
using DotNetty.Buffers;
using Edge.Server.Auth;
using Edge.Server.Http;

namespace Edge.Server.WebSockets;

/// <summary>
/// The RFC 6455 §4.2 opening handshake as pure functions: which request may be upgraded (and which HTTP error
/// answers one that may not), subprotocol selection, the <c>Sec-WebSocket-Accept</c> value and the 101 response.
/// </summary>
public static class WebSocketHandshake
{
    /// <summary>The GUID RFC 6455 appends to the client's key before hashing.</summary>
    public const string KeyGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    /// <summary>The only protocol version spoken (RFC 6455).</summary>
    public const string SupportedVersion = "13";

    private const int KeyChars = 24;

    private static ReadOnlySpan<byte> SwitchingProtocolsHead =>
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: "u8;

    private static ReadOnlySpan<byte> SubprotocolField => "\r\nSec-WebSocket-Protocol: "u8;

    private static ReadOnlySpan<byte> HeadEnd => "\r\n\r\n"u8;
    private const int KeyBytes = 16;

    private static readonly KeyValuePair<string, string>[] UpgradeHeaders =
        [new("Upgrade", "websocket"), new("Sec-WebSocket-Version", SupportedVersion)];

    public static readonly WebSocketRefusal MethodNotAllowed =
        new(405, "METHOD_NOT_ALLOWED", "a WebSocket handshake is a GET request", [new("Allow", "GET")]);

    public static readonly WebSocketRefusal UpgradeRequired =
        new(426, "UPGRADE_REQUIRED", "this endpoint speaks WebSocket only: send Upgrade: websocket", UpgradeHeaders);

    public static readonly WebSocketRefusal HttpVersionTooOld =
        new(400, "BAD_HANDSHAKE", "a WebSocket handshake needs HTTP/1.1");

    public static readonly WebSocketRefusal ConnectionNotUpgrade =
        new(400, "BAD_HANDSHAKE", "the Connection header must contain 'upgrade'");

    public static readonly WebSocketRefusal UnsupportedVersion =
        new(426, "UNSUPPORTED_VERSION", "only WebSocket version 13 is supported", UpgradeHeaders);

    public static readonly WebSocketRefusal BadKey =
        new(400, "BAD_HANDSHAKE", "Sec-WebSocket-Key must be the base64 of 16 bytes, sent once");

    public static readonly WebSocketRefusal UnsupportedSubprotocol =
        new(400, "UNSUPPORTED_SUBPROTOCOL", "none of the offered subprotocols is supported");

    public static readonly WebSocketRefusal NoSuchEndpoint =
        new(404, "NOT_FOUND", "no WebSocket endpoint at this path");

    /// <summary>True when the request asks to switch to WebSocket (<c>Upgrade</c> holds the <c>websocket</c> token).</summary>
    public static bool IsUpgradeRequest(HttpRequestHead request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.HeaderHasToken("Upgrade", "websocket");
    }

    /// <summary>
    /// Checks the request against RFC 6455 §4.2.1, in this order: method GET (405), <c>Upgrade: websocket</c> (426,
    /// which also answers a plain GET), HTTP/1.1 (400), <c>Connection: upgrade</c> (400), <c>Sec-WebSocket-Version: 13</c>
    /// (426 naming version 13, so old drafts learn what to speak), <c>Sec-WebSocket-Key</c> present once and the base64
    /// of exactly 16 bytes (400). Returns null and the key when the request may be upgraded.
    /// </summary>
    public static WebSocketRefusal? Validate(HttpRequestHead request, out string key)
    {
        ArgumentNullException.ThrowIfNull(request);
        key = string.Empty;
        if (request.Method != "GET")
        {
            return MethodNotAllowed;
        }

        if (!IsUpgradeRequest(request))
        {
            return UpgradeRequired;
        }

        if (request.Version != "HTTP/1.1")
        {
            return HttpVersionTooOld;
        }

        if (!request.HeaderHasToken("Connection", "upgrade"))
        {
            return ConnectionNotUpgrade;
        }

        if (Count(request, "Sec-WebSocket-Version") != 1 || request.Header("Sec-WebSocket-Version") != SupportedVersion)
        {
            return UnsupportedVersion;
        }

        var value = request.Header("Sec-WebSocket-Key");
        if (value is null || Count(request, "Sec-WebSocket-Key") != 1 || !IsValidKey(value))
        {
            return BadKey;
        }

        key = value;
        return null;
    }

    /// <summary>True for a key that decodes (strict base64, padded) to exactly 16 bytes.</summary>
    public static bool IsValidKey(ReadOnlySpan<char> key)
    {
        Span<byte> decoded = stackalloc byte[KeyBytes + 2];
        return key.Length == KeyChars && Convert.TryFromBase64Chars(key, decoded, out var written) && written == KeyBytes;
    }

    /// <summary><c>Sec-WebSocket-Accept</c>: base64(SHA-1(key + GUID)) (RFC 6455 §4.2.2).</summary>
    public static string ComputeAcceptKey(ReadOnlySpan<char> key)
    {
        Span<byte> input = stackalloc byte[KeyChars + KeyGuid.Length];
        if (key.Length != KeyChars || Encoding.ASCII.GetBytes(key, input) != KeyChars)
        {
            throw new ArgumentException("not a 24-character Sec-WebSocket-Key", nameof(key));
        }

        Encoding.ASCII.GetBytes(KeyGuid, input[KeyChars..]);
        Span<byte> hash = stackalloc byte[SHA1.HashSizeInBytes];
        SHA1.HashData(input, hash);
        return Convert.ToBase64String(hash);
    }

    /// <summary>
    /// Picks the subprotocol to echo: the first entry of the client's list (all <c>Sec-WebSocket-Protocol</c> values
    /// joined with commas) found in <paramref name="supported"/>, compared exactly. <c>bearer.&lt;token&gt;</c> entries
    /// carry a token, not a protocol: they are never selected, and a client that offered only those counts as
    /// offering none. None offered: null, and no header in the response. Offered but none supported: 400.
    /// </summary>
    public static WebSocketRefusal? NegotiateSubprotocol(string? offered, ReadOnlySpan<string> supported, out string? selected)
    {
        selected = null;
        if (string.IsNullOrWhiteSpace(offered))
        {
            return null;
        }

        var anyOffered = false;
        foreach (var range in offered.AsSpan().Split(','))
        {
            var entry = offered.AsSpan()[range].Trim(" \t");
            if (entry.IsEmpty || entry.StartsWith(BearerTokenExtractor.SubprotocolPrefix, StringComparison.Ordinal))
            {
                continue;
            }

            anyOffered = true;
            foreach (var candidate in supported)
            {
                if (entry.SequenceEqual(candidate))
                {
                    selected = candidate;
                    return null;
                }
            }
        }

        return anyOffered ? UnsupportedSubprotocol : null;
    }

    /// <summary>All values of a header joined with <c>", "</c> (a list header may be sent on several lines), or null.</summary>
    public static string? JoinedHeader(HttpRequestHead request, string name)
    {
        ArgumentNullException.ThrowIfNull(request);
        string? joined = null;
        var headers = request.Headers;
        for (var i = 0; i < headers.Count; i++)
        {
            if (string.Equals(headers[i].Key, name, StringComparison.OrdinalIgnoreCase))
            {
                joined = joined is null ? headers[i].Value : joined + ", " + headers[i].Value;
            }
        }

        return joined;
    }

    /// <summary>The 101 response (no body), written straight into one pooled buffer.</summary>
    public static IByteBuffer SwitchingProtocols(IByteBufferAllocator allocator, string acceptKey, string? subprotocol)
    {
        ArgumentNullException.ThrowIfNull(allocator);
        ArgumentNullException.ThrowIfNull(acceptKey);
        var length = SwitchingProtocolsHead.Length + acceptKey.Length + HeadEnd.Length
            + (subprotocol is null ? 0 : SubprotocolField.Length + subprotocol.Length);
        var buffer = allocator.Buffer(length);
        ByteBufferSpan.Write(buffer, SwitchingProtocolsHead);
        ByteBufferSpan.WriteAscii(buffer, acceptKey);
        if (subprotocol is not null)
        {
            ByteBufferSpan.Write(buffer, SubprotocolField);
            ByteBufferSpan.WriteAscii(buffer, subprotocol);
        }

        ByteBufferSpan.Write(buffer, HeadEnd);
        return buffer;
    }

    private static int Count(HttpRequestHead request, string name)
    {
        var count = 0;
        var headers = request.Headers;
        for (var i = 0; i < headers.Count; i++)
        {
            if (string.Equals(headers[i].Key, name, StringComparison.OrdinalIgnoreCase))
            {
                count++;
            }
        }

        return count;
    }
}
