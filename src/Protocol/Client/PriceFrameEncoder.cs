using System.Runtime.CompilerServices;
using System.Text.Json;
using Edge.Protocol.Buffers;
using Edge.Protocol.Sse;
using Edge.Protocol.WebSockets;

namespace Edge.Protocol.Client;

/// <summary>
/// The hot path: encodes one <c>price</c> message, with its RFC 6455 server frame header, into a
/// caller's span, allocating nothing. Names come pre-encoded as UTF-8 (the server keeps each
/// symbol's and source's bytes); numbers come as a <see cref="Quote"/>; mid, spread and spreadBps
/// are derived here by <see cref="PriceMath"/>. One instance per thread (the reference path reuses its writers).
/// </summary>
/// <remarks>
/// <para>
/// The bytes are written by the one <see cref="PriceMessage"/> shape over span encoders
/// (<see cref="SpanMessagePackEncoder"/>, <see cref="SpanJsonEncoder"/>), which write straight into the span:
/// PriceFrameBenchmarks shows them beside the MessagePackWriter / Utf8JsonWriter encoders over the same shape, kept
/// (internal) as the reference path: tests check both give identical bytes for random quotes and names, and decode
/// them with MessagePackReader.
/// </para>
/// <para>
/// A price payload is always between 126 and 65535 bytes (the names are bounded by
/// <see cref="SymbolRules"/>), so its header is the 4-byte 16-bit-length form: the payload is
/// written straight after 4 bytes and the header filled in last, with no length pre-pass and no
/// copy. (A payload of 125 bytes or less would be moved down 2 bytes; it cannot occur today.)
/// </para>
/// </remarks>
public sealed unsafe class PriceFrameEncoder
{
    /// <summary>
    /// The destination size to provide. Frames are far smaller (about 200 bytes MessagePack, 270
    /// JSON for a 6-byte symbol); the encoders check room for the worst case once, up front.
    /// </summary>
    public const int MaxFrameLength = 1024;

    /// <summary>
    /// Upper bound of either payload: names at their limits (JSON-escaped at worst 6 bytes per byte), 7 doubles of at
    /// most 24 characters, two 20-digit integers, keys and punctuation.
    /// </summary>
    internal const int MaxPayloadLength = 700;

    /// <summary>Where a payload starts in the destination: room for the 4-byte header written in front of it last.</summary>
    internal const int HeaderRoom = 4;

    private readonly PinnedBufferWriter _buffer = new();
    private readonly Utf8JsonWriter _json;

    public PriceFrameEncoder()
    {
        _json = new Utf8JsonWriter(_buffer, WireNames.JsonOptions);
    }

    /// <summary>Encodes a frame in <paramref name="encoding"/>: binary for MessagePack, text for JSON, an SSE chunk for SSE.</summary>
    public int EncodeFrame(
        ClientEncoding encoding,
        Span<byte> destination,
        ReadOnlySpan<byte> symbol,
        ReadOnlySpan<byte> bidSource,
        ReadOnlySpan<byte> askSource,
        in Quote quote) =>
        encoding switch
        {
            ClientEncoding.Json => EncodeJsonFrame(destination, symbol, bidSource, askSource, quote),
            ClientEncoding.Sse => EncodeSseChunk(destination, symbol, bidSource, askSource, quote),
            _ => EncodeMessagePackFrame(destination, symbol, bidSource, askSource, quote),
        };

    /// <summary>
    /// One HTTP/1.1 chunk holding the SSE event of a price: <c>event: price\nid: SEQUENCE\ndata: JSON\n\n</c>, where
    /// the id is the quote's per-symbol sequence and JSON the same <c>price</c> object as <see cref="EncodeJsonPayload"/>.
    /// Written in place (body first, size line last), so nothing is copied twice. Returns the chunk length.
    /// </summary>
    public int EncodeSseChunk(
        Span<byte> destination, ReadOnlySpan<byte> symbol, ReadOnlySpan<byte> bidSource, ReadOnlySpan<byte> askSource, in Quote quote)
    {
        var body = Framed(destination)[SseChunk.BodyRoom..];
        var p = SseChunk.WriteEventStart(body, "price"u8, quote.Sequence);
        p += EncodeJsonPayload(body[p..], symbol, bidSource, askSource, quote);
        body[p++] = (byte)'\n';
        body[p++] = (byte)'\n';
        return SseChunk.CompleteInPlace(destination, p);
    }

    /// <summary>A binary frame carrying the MessagePack <c>price</c> map. Returns the frame length.</summary>
    public int EncodeMessagePackFrame(
        Span<byte> destination, ReadOnlySpan<byte> symbol, ReadOnlySpan<byte> bidSource, ReadOnlySpan<byte> askSource, in Quote quote) =>
        PlaceHeader(Framed(destination), WebSocketOpcode.Binary, EncodeMessagePackPayload(destination[HeaderRoom..], symbol, bidSource, askSource, quote));

    /// <summary>A text frame carrying the JSON <c>price</c> object. Returns the frame length.</summary>
    public int EncodeJsonFrame(
        Span<byte> destination, ReadOnlySpan<byte> symbol, ReadOnlySpan<byte> bidSource, ReadOnlySpan<byte> askSource, in Quote quote) =>
        PlaceHeader(Framed(destination), WebSocketOpcode.Text, EncodeJsonPayload(destination[HeaderRoom..], symbol, bidSource, askSource, quote));

    /// <summary>The MessagePack <c>price</c> map alone (no frame header). Returns its length.</summary>
    public int EncodeMessagePackPayload(
        Span<byte> destination, ReadOnlySpan<byte> symbol, ReadOnlySpan<byte> bidSource, ReadOnlySpan<byte> askSource, in Quote quote)
    {
        var price = Checked(destination, symbol, bidSource, askSource, quote);
        var encoder = new SpanMessagePackEncoder(destination);
        price.WriteTo(ref encoder);
        return encoder.Position;
    }

    /// <summary>The JSON <c>price</c> object alone (no frame header), e.g. for SSE. Returns its length.</summary>
    public int EncodeJsonPayload(
        Span<byte> destination, ReadOnlySpan<byte> symbol, ReadOnlySpan<byte> bidSource, ReadOnlySpan<byte> askSource, in Quote quote)
    {
        var price = Checked(destination, symbol, bidSource, askSource, quote);
        var encoder = new SpanJsonEncoder(destination);
        price.WriteTo(ref encoder);
        return encoder.Position;
    }

    /// <summary>Reference path: the same frame written by the <see cref="PriceMessage"/> shape over MessagePackWriter (kept for the byte-equality tests and the benchmark).</summary>
    internal int EncodeMessagePackFrameWithWriter(
        Span<byte> destination, ReadOnlySpan<byte> symbol, ReadOnlySpan<byte> bidSource, ReadOnlySpan<byte> askSource, in Quote quote) =>
        PlaceHeader(Framed(destination), WebSocketOpcode.Binary, EncodeMessagePackPayloadWithWriter(destination[HeaderRoom..], symbol, bidSource, askSource, quote));

    /// <summary>Reference path: the same frame written with Utf8JsonWriter.</summary>
    internal int EncodeJsonFrameWithWriter(
        Span<byte> destination, ReadOnlySpan<byte> symbol, ReadOnlySpan<byte> bidSource, ReadOnlySpan<byte> askSource, in Quote quote) =>
        PlaceHeader(Framed(destination), WebSocketOpcode.Text, EncodeJsonPayloadWithWriter(destination[HeaderRoom..], symbol, bidSource, askSource, quote));

    internal int EncodeMessagePackPayloadWithWriter(
        Span<byte> destination, ReadOnlySpan<byte> symbol, ReadOnlySpan<byte> bidSource, ReadOnlySpan<byte> askSource, in Quote quote) =>
        EncodePayloadWithWriter(destination, symbol, bidSource, askSource, quote, json: false);

    internal int EncodeJsonPayloadWithWriter(
        Span<byte> destination, ReadOnlySpan<byte> symbol, ReadOnlySpan<byte> bidSource, ReadOnlySpan<byte> askSource, in Quote quote) =>
        EncodePayloadWithWriter(destination, symbol, bidSource, askSource, quote, json: true);

    private int EncodePayloadWithWriter(
        Span<byte> destination, ReadOnlySpan<byte> symbol, ReadOnlySpan<byte> bidSource, ReadOnlySpan<byte> askSource, in Quote quote, bool json)
    {
        var price = Checked(destination, symbol, bidSource, askSource, quote);
        fixed (byte* start = destination)
        {
            _buffer.Attach(start, destination.Length);
            try
            {
                if (json)
                {
                    _json.Reset(_buffer);
                    var text = new JsonMessageEncoder(_json);
                    price.WriteTo(ref text);
                    _json.Flush();
                }
                else
                {
                    var binary = new MessagePackMessageEncoder(_buffer);
                    price.WriteTo(ref binary);
                    binary.Flush();
                }

                return _buffer.Written;
            }
            finally
            {
                _json.Reset(_buffer); // drops any half-written state after a failure
                _buffer.Detach();
            }
        }
    }

    /// <summary>The price to write, after the checks the hot path relies on, and room for its payload.</summary>
    private static PriceMessage Checked(
        Span<byte> destination, ReadOnlySpan<byte> symbol, ReadOnlySpan<byte> bidSource, ReadOnlySpan<byte> askSource, scoped in Quote quote)
    {
        var values = CheckedValues(symbol, bidSource, askSource, quote);
        if (destination.Length < MaxPayloadLength)
        {
            throw new ArgumentException($"the destination must hold {MaxPayloadLength} bytes", nameof(destination));
        }

        return new PriceMessage(values);
    }

    /// <summary>
    /// A price's values, after the checks every price encoder relies on (the names' lengths; finite numbers), whatever
    /// shape it is then written in.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] // the hot path: no copy of the values on the way out
    internal static PriceValues CheckedValues(
        ReadOnlySpan<byte> symbol, ReadOnlySpan<byte> bidSource, ReadOnlySpan<byte> askSource, scoped in Quote quote)
    {
        // Length checks only: the names come from the ingest decoder, which applied the full rules.
        if ((uint)(symbol.Length - 1) >= SymbolRules.MaxSymbolBytes
            || (uint)(bidSource.Length - 1) >= SymbolRules.MaxSourceBytes
            || (uint)(askSource.Length - 1) >= SymbolRules.MaxSourceBytes)
        {
            throw new ArgumentException("a symbol is 1..32 bytes and a source 1..16 bytes");
        }

        var values = PriceValues.Derive(symbol, bidSource, askSource, quote);
        if (!double.IsFinite(quote.BidPrice) || !double.IsFinite(quote.BidSize)
            || !double.IsFinite(quote.AskPrice) || !double.IsFinite(quote.AskSize)
            || !double.IsFinite(values.Mid) || !double.IsFinite(values.Spread) || !double.IsFinite(values.SpreadBps))
        {
            throw new ArgumentException("prices, sizes and derived values must be finite", nameof(quote));
        }

        return values;
    }

    /// <summary>The destination, once it is known to hold <see cref="MaxFrameLength"/> bytes.</summary>
    internal static Span<byte> Framed(Span<byte> destination)
    {
        if (destination.Length < MaxFrameLength)
        {
            throw new ArgumentException($"the destination must hold {MaxFrameLength} bytes", nameof(destination));
        }

        return destination;
    }

    /// <summary>Writes the header in front of a payload that starts at <see cref="HeaderRoom"/>. Returns the frame length.</summary>
    internal static int PlaceHeader(Span<byte> destination, WebSocketOpcode opcode, int payloadLength)
    {
        if (payloadLength <= 125)
        {
            destination.Slice(HeaderRoom, payloadLength).CopyTo(destination[2..]);
        }

        var headerLength = WebSocketFrame.WriteHeader(destination, opcode, payloadLength);
        return headerLength + payloadLength;
    }
}
