using System.Text;
using Edge.Perf.Feed;

namespace Edge.Perf.Clients;

/// <summary>
/// The SSE client side (<c>--transport sse</c>): <c>GET /market-data/stream?symbols=…&amp;token=…</c> with
/// <c>Accept: text/event-stream</c>, a chunked 200 response, events <c>event: price</c> / <c>id: &lt;sequence&gt;</c> /
/// <c>data: &lt;JSON price&gt;</c>. Written against the endpoint's description before it was merged: small and
/// separate from the WebSocket path so it can be fixed in one place.
/// </summary>
internal static class SseClientProtocol
{
    public static byte[] Request(string hostAndPort, string path, int[] symbols, string token)
    {
        var names = new StringBuilder();
        foreach (var symbol in symbols)
        {
            if (names.Length > 0)
            {
                names.Append(',');
            }

            names.Append(PriceFeed.SymbolName(symbol));
        }

        return Encoding.ASCII.GetBytes(
            $"GET {path}?symbols={names}&token={Uri.EscapeDataString(token)} HTTP/1.1\r\nHost: {hostAndPort}\r\n" +
            "Accept: text/event-stream\r\nCache-Control: no-cache\r\n\r\n");
    }

    public static bool IsChunked(ReadOnlySpan<byte> head) =>
        Encoding.ASCII.GetString(head).Contains("transfer-encoding: chunked", StringComparison.OrdinalIgnoreCase);

    /// <summary>De-chunks <paramref name="data"/> into the connection's event text; returns raw bytes not consumed (a partial chunk-size line).</summary>
    public static int Dechunk(SseStreamState state, ReadOnlySpan<byte> data)
    {
        if (!state.Chunked)
        {
            Append(state, data);
            return data.Length;
        }

        var consumed = 0;
        while (consumed < data.Length)
        {
            var rest = data[consumed..];
            if (state.ChunkRemaining == -1)
            {
                var lineEnd = rest.IndexOf("\r\n"u8);
                if (lineEnd < 0)
                {
                    return consumed;
                }

                state.ChunkRemaining = ParseHex(rest[..lineEnd]);
                consumed += lineEnd + 2;
                if (state.ChunkRemaining == 0)
                {
                    // Last chunk: the stream ended.
                    return data.Length;
                }
            }
            else if (state.ChunkRemaining == -2)
            {
                if (rest.Length < 2)
                {
                    return consumed;
                }

                consumed += 2;
                state.ChunkRemaining = -1;
            }
            else
            {
                var take = Math.Min(state.ChunkRemaining, rest.Length);
                Append(state, rest[..take]);
                consumed += take;
                state.ChunkRemaining -= take;
                if (state.ChunkRemaining == 0)
                {
                    state.ChunkRemaining = -2;
                }
            }
        }

        return consumed;
    }

    /// <summary>Takes the next complete event from the connection's event text; false when none is complete.</summary>
    public static bool NextEvent(SseStreamState state, ref int offset, out ServerMessageKind kind, out PriceFields price)
    {
        kind = ServerMessageKind.Other;
        price = default;
        var text = state.Events.AsSpan(offset, state.EventsLength - offset);
        var end = text.IndexOf("\n\n"u8);
        if (end < 0)
        {
            return false;
        }

        var ev = text[..end];
        offset += end + 2;
        var data = ev.IndexOf("data:"u8);
        if (data < 0 || ev.IndexOf("event: price"u8) < 0)
        {
            return true;
        }

        var json = ev[(data + 5)..];
        var symbol = ValueAfter(json, "\"symbol\":\""u8);
        var timestamp = ValueAfter(json, "\"timestamp\":"u8);
        var sequence = ValueAfter(json, "\"sequence\":"u8);
        if (symbol.IsEmpty || timestamp.IsEmpty || sequence.IsEmpty)
        {
            kind = ServerMessageKind.Malformed;
            return true;
        }

        var quote = symbol.IndexOf((byte)'"');
        price.Symbol = WebSocketClientProtocol.SymbolIndex(quote < 0 ? symbol : symbol[..quote]);
        price.Timestamp = (long)ParseDecimal(timestamp);
        price.Sequence = ParseDecimal(sequence);
        kind = ServerMessageKind.Price;
        return true;
    }

    /// <summary>Drops parsed event text, keeping an incomplete event at the start of the buffer.</summary>
    public static void Compact(SseStreamState state, int offset)
    {
        var left = state.EventsLength - offset;
        state.Events.AsSpan(offset, left).CopyTo(state.Events);
        state.EventsLength = left;
    }

    internal static ReadOnlySpan<byte> ValueAfter(ReadOnlySpan<byte> json, ReadOnlySpan<byte> key)
    {
        var at = json.IndexOf(key);
        return at < 0 ? default : json[(at + key.Length)..];
    }

    internal static ulong ParseDecimal(ReadOnlySpan<byte> text)
    {
        ulong value = 0;
        foreach (var b in text)
        {
            var digit = b - '0';
            if ((uint)digit > 9)
            {
                break;
            }

            value = (value * 10) + (uint)digit;
        }

        return value;
    }

    private static int ParseHex(ReadOnlySpan<byte> line)
    {
        var value = 0;
        foreach (var b in line)
        {
            var digit = b switch
            {
                >= (byte)'0' and <= (byte)'9' => b - '0',
                >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
                >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
                _ => -1,
            };
            if (digit < 0)
            {
                break; // chunk extensions (";...") end the size
            }

            value = (value * 16) + digit;
        }

        return value;
    }

    private static void Append(SseStreamState state, ReadOnlySpan<byte> bytes)
    {
        if (state.EventsLength + bytes.Length > state.Events.Length)
        {
            var grown = new byte[Math.Max(state.Events.Length * 2, state.EventsLength + bytes.Length)];
            state.Events.AsSpan(0, state.EventsLength).CopyTo(grown);
            state.Events = grown;
        }

        bytes.CopyTo(state.Events.AsSpan(state.EventsLength));
        state.EventsLength += bytes.Length;
    }
}
