using Edge.Ingest.Prices;
using Edge.Protocol.Client;

namespace Edge.Server.FanOut;

/// <summary>
/// An event loop's own copy of a symbol's last price and its frames: the source of snapshots and of the
/// latest-wins delivery to conflated subscribers. Each loop keeps its own, so it always matches the loop's
/// position in the ring and needs no locking.
/// </summary>
/// <remarks>
/// Each encoding's buffer is made when that encoding is first stored, at the frame's size plus room for the next ones
/// (a price's length varies by a few bytes), and replaced only by a longer frame: with a thousand symbols per loop,
/// four worst-case buffers each were 4 MiB of resident memory that only encodings in use need.
/// </remarks>
public sealed class LatestPrice
{
    private const int Headroom = 64;

    private byte[]? _messagePack;
    private byte[]? _json;
    private byte[]? _sse;
    private byte[]? _socketIo;
    private int _messagePackLength;
    private int _jsonLength;
    private int _sseLength;
    private int _socketIoLength;

    /// <summary>The ring sequence of this price: deliveries compare it to never send an older one.</summary>
    public long Sequence { get; private set; } = -1;

    public PriceSlot Slot;

    /// <summary>True when the frame of <paramref name="encoding"/> is held (MessagePack always is once a price arrived).</summary>
    public bool Has(ClientEncoding encoding) => encoding switch
    {
        ClientEncoding.Json => _jsonLength > 0,
        ClientEncoding.Sse => _sseLength > 0,
        ClientEncoding.SocketIo => _socketIoLength > 0,
        _ => _messagePackLength > 0,
    };

    public void Update(
        ref PriceSlot slot, long sequence, ReadOnlySpan<byte> messagePackFrame, ReadOnlySpan<byte> jsonFrame, ReadOnlySpan<byte> sseChunk, ReadOnlySpan<byte> socketIoFrame)
    {
        Slot = slot;
        Sequence = sequence;
        Store(ref _messagePack, ref _messagePackLength, messagePackFrame);
        Store(ref _json, ref _jsonLength, jsonFrame);
        Store(ref _sse, ref _sseLength, sseChunk);
        Store(ref _socketIo, ref _socketIoLength, socketIoFrame);
    }

    /// <summary>Stores a socket.io frame encoded later by the loop (produced only while socket.io clients exist).</summary>
    public void SetSocketIo(ReadOnlySpan<byte> socketIoFrame)
    {
        Store(ref _socketIo, ref _socketIoLength, socketIoFrame);
    }

    /// <summary>Stores an SSE chunk encoded later by the loop (SSE is produced only while SSE streams are open).</summary>
    public void SetSse(ReadOnlySpan<byte> sseChunk)
    {
        Store(ref _sse, ref _sseLength, sseChunk);
    }

    /// <summary>Stores a JSON frame encoded later by the loop (JSON is produced only while JSON clients exist).</summary>
    public void SetJson(ReadOnlySpan<byte> jsonFrame)
    {
        Store(ref _json, ref _jsonLength, jsonFrame);
    }

    /// <summary>The frame as memory, for building snapshot messages from several prices.</summary>
    public ReadOnlyMemory<byte> FrameMemory(ClientEncoding encoding) => encoding switch
    {
        ClientEncoding.Json => _json.AsMemory(0, _jsonLength),
        ClientEncoding.Sse => _sse.AsMemory(0, _sseLength),
        ClientEncoding.SocketIo => _socketIo.AsMemory(0, _socketIoLength),
        _ => _messagePack.AsMemory(0, _messagePackLength),
    };

    public ReadOnlySpan<byte> Frame(ClientEncoding encoding) => encoding switch
    {
        ClientEncoding.Json => _json.AsSpan(0, _jsonLength),
        ClientEncoding.Sse => _sse.AsSpan(0, _sseLength),
        ClientEncoding.SocketIo => _socketIo.AsSpan(0, _socketIoLength),
        _ => _messagePack.AsSpan(0, _messagePackLength),
    };

    /// <summary>Copies a frame into its buffer, making a bigger one only when the frame does not fit; empty clears it.</summary>
    private static void Store(ref byte[]? buffer, ref int length, ReadOnlySpan<byte> frame)
    {
        if (!frame.IsEmpty && (buffer is null || buffer.Length < frame.Length))
        {
            buffer = new byte[(frame.Length + Headroom + 63) & ~63];
        }

        frame.CopyTo(buffer);
        length = frame.Length;
    }
}
