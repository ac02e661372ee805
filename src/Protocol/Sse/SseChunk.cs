using System.Buffers.Text;

namespace Edge.Protocol.Sse;

/// <summary>
/// Server-Sent Events (<c>text/event-stream</c>) inside HTTP/1.1 chunked transfer coding: every piece Edge writes to
/// a stream is one complete chunk, <c>&lt;hex size&gt;\r\n</c> + SSE text + <c>\r\n</c>, so the fan-out can concatenate
/// them (cork) without knowing anything of HTTP. An event is <c>event: NAME\n[id: N\n]data: JSON\n\n</c>; JSON data
/// never holds a line break, so one <c>data:</c> line carries it. Nothing here allocates except <see cref="BuildEvent"/>.
/// </summary>
public static class SseChunk
{
    /// <summary>
    /// Room kept in front of a body written in place (see <see cref="CompleteInPlace"/>): three hex digits and CRLF,
    /// enough for bodies up to <see cref="MaxInPlaceBodyLength"/> bytes.
    /// </summary>
    public const int BodyRoom = 5;

    /// <summary>Largest body <see cref="CompleteInPlace"/> takes (0xFFF).</summary>
    public const int MaxInPlaceBodyLength = 0xFFF;

    /// <summary>The last chunk: a zero size and the empty trailer. The response ends with it.</summary>
    public static ReadOnlySpan<byte> Terminator => "0\r\n\r\n"u8;

    /// <summary>The comment heartbeat <c>: hb</c>, a whole chunk.</summary>
    public static ReadOnlySpan<byte> Heartbeat => "6\r\n: hb\n\n\r\n"u8;

    private static ReadOnlySpan<byte> EventField => "event: "u8;

    private static ReadOnlySpan<byte> IdField => "id: "u8;

    private static ReadOnlySpan<byte> DataField => "data: "u8;

    private static ReadOnlySpan<byte> RetryField => "retry: "u8;

    private static ReadOnlySpan<byte> Hex => "0123456789abcdef"u8;

    /// <summary>Length of the chunk around a body of <paramref name="bodyLength"/> bytes.</summary>
    public static int GetChunkLength(int bodyLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bodyLength);
        return HexDigits(bodyLength) + 2 + bodyLength + 2;
    }

    /// <summary>Length of the SSE text of an event without id (<c>event: NAME\ndata: DATA\n\n</c>).</summary>
    public static int GetEventBodyLength(int eventNameLength, int dataLength) =>
        EventField.Length + eventNameLength + 1 + DataField.Length + dataLength + 2;

    /// <summary>Length of the chunk <see cref="WriteEvent"/> writes.</summary>
    public static int GetEventChunkLength(int eventNameLength, int dataLength) => GetChunkLength(GetEventBodyLength(eventNameLength, dataLength));

    /// <summary>
    /// Writes the chunk of one event without id: <c>event: NAME\ndata: DATA\n\n</c>. Returns its length.
    /// </summary>
    /// <exception cref="ArgumentException">The name or data holds a CR or LF (it would split the event), or the destination is too small.</exception>
    public static int WriteEvent(Span<byte> destination, ReadOnlySpan<byte> eventName, ReadOnlySpan<byte> data)
    {
        if (eventName.IsEmpty || HasLineBreak(eventName) || HasLineBreak(data))
        {
            throw new ArgumentException("an SSE event name and its JSON data must be one line each");
        }

        var bodyLength = GetEventBodyLength(eventName.Length, data.Length);
        var length = GetChunkLength(bodyLength);
        if (destination.Length < length)
        {
            throw new ArgumentException($"destination holds {destination.Length} bytes, the chunk needs {length}", nameof(destination));
        }

        var p = WriteChunkHeader(destination, bodyLength);
        p = Raw(destination, p, EventField);
        p = Raw(destination, p, eventName);
        destination[p++] = (byte)'\n';
        p = Raw(destination, p, DataField);
        p = Raw(destination, p, data);
        destination[p++] = (byte)'\n';
        destination[p++] = (byte)'\n';
        destination[p++] = (byte)'\r';
        destination[p++] = (byte)'\n';
        return p;
    }

    /// <summary>A new array holding the chunk of one event: for the rare events (snapshot, status, notice), not prices.</summary>
    public static byte[] BuildEvent(ReadOnlySpan<byte> eventName, ReadOnlySpan<byte> data)
    {
        var chunk = new byte[GetEventChunkLength(eventName.Length, data.Length)];
        WriteEvent(chunk, eventName, data);
        return chunk;
    }

    /// <summary>Writes the chunk <c>retry: MS\n\n</c> (the reconnection delay advice). Returns its length.</summary>
    public static int WriteRetry(Span<byte> destination, int milliseconds)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(milliseconds);
        Span<byte> digits = stackalloc byte[16];
        Utf8Formatter.TryFormat(milliseconds, digits, out var count);
        var bodyLength = RetryField.Length + count + 2;
        if (destination.Length < GetChunkLength(bodyLength))
        {
            throw new ArgumentException("destination too small for the retry chunk", nameof(destination));
        }

        var p = WriteChunkHeader(destination, bodyLength);
        p = Raw(destination, p, RetryField);
        p = Raw(destination, p, digits[..count]);
        destination[p++] = (byte)'\n';
        destination[p++] = (byte)'\n';
        destination[p++] = (byte)'\r';
        destination[p++] = (byte)'\n';
        return p;
    }

    /// <summary>
    /// Starts an event with an id in place: writes <c>event: NAME\nid: ID\ndata: </c> at <paramref name="body"/>
    /// (which a caller takes as <c>destination[BodyRoom..]</c>) and returns the bytes written; the caller appends the
    /// one-line data and <c>\n\n</c>, then calls <see cref="CompleteInPlace"/>.
    /// </summary>
    public static int WriteEventStart(Span<byte> body, ReadOnlySpan<byte> eventName, ulong id)
    {
        var p = Raw(body, 0, EventField);
        p = Raw(body, p, eventName);
        body[p++] = (byte)'\n';
        p = Raw(body, p, IdField);
        if (!Utf8Formatter.TryFormat(id, body[p..], out var written))
        {
            throw new ArgumentException("destination too small for the event id", nameof(body));
        }

        p += written;
        body[p++] = (byte)'\n';
        return Raw(body, p, DataField);
    }

    /// <summary>
    /// Turns a body already written at <c>destination[BodyRoom..]</c> into a complete chunk starting at
    /// <c>destination[0]</c>: places the size line in front (moving the body down by a byte or two when the size
    /// needs fewer than three hex digits) and the CRLF behind. Returns the chunk length.
    /// </summary>
    public static int CompleteInPlace(Span<byte> destination, int bodyLength)
    {
        if ((uint)bodyLength > MaxInPlaceBodyLength || destination.Length < BodyRoom + bodyLength + 2)
        {
            throw new ArgumentException("the body does not fit the in-place chunk layout", nameof(bodyLength));
        }

        var headerLength = HexDigits(bodyLength) + 2;
        if (headerLength < BodyRoom)
        {
            destination.Slice(BodyRoom, bodyLength).CopyTo(destination[headerLength..]);
        }

        WriteChunkHeader(destination, bodyLength);
        var end = headerLength + bodyLength;
        destination[end] = (byte)'\r';
        destination[end + 1] = (byte)'\n';
        return end + 2;
    }

    private static int WriteChunkHeader(Span<byte> destination, int bodyLength)
    {
        var digits = HexDigits(bodyLength);
        var value = bodyLength;
        for (var i = digits - 1; i >= 0; i--)
        {
            destination[i] = Hex[value & 0xF];
            value >>= 4;
        }

        destination[digits] = (byte)'\r';
        destination[digits + 1] = (byte)'\n';
        return digits + 2;
    }

    private static int HexDigits(int value)
    {
        var digits = 1;
        while ((value >>= 4) != 0)
        {
            digits++;
        }

        return digits;
    }

    private static bool HasLineBreak(ReadOnlySpan<byte> text) => text.IndexOfAny((byte)'\r', (byte)'\n') >= 0;

    private static int Raw(Span<byte> destination, int position, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(destination[position..]);
        return position + bytes.Length;
    }
}
