using System.Buffers;
using Edge.Ingest.Prices;
using Edge.Ingest.Ring;
using Edge.Ingest.Symbols;
using Edge.Protocol.Client;
using Edge.Protocol.SocketIo;
using Edge.Protocol.Sse;

namespace Edge.Server.FanOut;

/// <summary>
/// The first ring consumer: encodes each price once per encoding in use into the <see cref="EncodedPriceRing"/>
/// (MessagePack always, JSON only while a JSON client is connected, SSE chunks only while an SSE stream is open,
/// socket.io frames only while a socket.io client is connected), then, at the end of each batch, publishes
/// how far it got and wakes the event loops that fan the frames out. Runs inline on the receive thread (the default,
/// <c>FanOut:FrameStage=inline</c>: each price is encoded as it is published, and the receive batch's end publishes and
/// wakes) or on its own thread as the ring's first consumer (<c>FanOut:FrameStage=thread</c>).
/// </summary>
public sealed class FrameStage : IPublishedSlotHandler
{
    private readonly PriceFrameEncoder _encoder = new();
    private readonly byte[] _scratch = new byte[PriceFrameEncoder.MaxFrameLength];
    private readonly EncodedPriceRing _frames;
    private readonly NameTable _symbols;
    private readonly NameTable _sources;
    private LoopFanOut[] _loops = [];
    private int _jsonClients;
    private int _sseClients;
    private int _socketIoClients;
    private long _lastEncoded = Sequence.InitialValue;

    public FrameStage(EncodedPriceRing frames, NameTable symbols, NameTable sources)
    {
        _frames = frames;
        _symbols = symbols;
        _sources = sources;
    }

    /// <summary>The highest sequence whose frames are written; the loops consume up to it.</summary>
    public Sequence Encoded { get; } = new();

    /// <summary>True while at least one JSON client is connected (JSON frames are then produced too).</summary>
    public bool JsonInUse => Volatile.Read(ref _jsonClients) > 0;

    /// <summary>True while at least one SSE stream is open (SSE chunks are then produced too).</summary>
    public bool SseInUse => Volatile.Read(ref _sseClients) > 0;

    /// <summary>True while at least one socket.io client is connected (socket.io frames are then produced too).</summary>
    public bool SocketIoInUse => Volatile.Read(ref _socketIoClients) > 0;

    public void AttachLoops(LoopFanOut[] loops) => _loops = loops;

    /// <summary>
    /// The loop whose thread also receives (<c>Ingest:ReceiveOn=loop</c>): a batch published on that thread does not
    /// wake it, since the receive duty drains it right after. Published from any other thread, it is woken as usual.
    /// </summary>
    public LoopFanOut? DrainedByReceiver { get; set; }

    public void JsonClientAdded() => Interlocked.Increment(ref _jsonClients);

    public void JsonClientRemoved() => Interlocked.Decrement(ref _jsonClients);

    public void SseClientAdded() => Interlocked.Increment(ref _sseClients);

    public void SseClientRemoved() => Interlocked.Decrement(ref _sseClients);

    public void SocketIoClientAdded() => Interlocked.Increment(ref _socketIoClients);

    public void SocketIoClientRemoved() => Interlocked.Decrement(ref _socketIoClients);

    /// <summary>
    /// The inline stage (<c>FanOut:FrameStage=inline</c>): called by the receive thread for each slot it publishes;
    /// encodes it, and leaves publishing and waking to <see cref="OnBatchEnd"/>.
    /// </summary>
    public void OnPublished(ref PriceSlot slot, long sequence) => OnEvent(ref slot, sequence, endOfBatch: false);

    /// <summary>The inline stage's end of a receive batch: publishes how far it got and wakes each loop once.</summary>
    public void OnBatchEnd()
    {
        if (_lastEncoded > Encoded.Value)
        {
            Publish(_lastEncoded);
        }
    }

    public void OnEvent(ref PriceSlot slot, long sequence, bool endOfBatch)
    {
        if (slot.Kind == PriceSlotKind.Price)
        {
            EncodePrice(ref slot, sequence);
        }
        else
        {
            EncodeStatus(slot.Kind, sequence);
        }

        _lastEncoded = sequence;
        if (endOfBatch)
        {
            Publish(sequence);
        }
    }

    private void Publish(long sequence)
    {
        Encoded.SetValue(sequence);
        var drainedByReceiver = DrainedByReceiver;
        foreach (var loop in _loops)
        {
            if (ReferenceEquals(loop, drainedByReceiver) && loop.Loop.InEventLoop)
            {
                continue;
            }

            loop.Wake();
        }
    }

    private void EncodePrice(ref PriceSlot slot, long sequence)
    {
        // Cleared first: should an encode throw, the ring must not keep the frame of the price a ring lap ago.
        _frames.Clear(ClientEncoding.MessagePack, sequence);
        _frames.Clear(ClientEncoding.Json, sequence);
        _frames.Clear(ClientEncoding.Sse, sequence);
        _frames.Clear(ClientEncoding.SocketIo, sequence);
        var symbol = _symbols.Utf8(slot.SymbolId);
        var bidSource = _sources.Utf8(slot.BidSourceId);
        var askSource = _sources.Utf8(slot.AskSourceId);
        // Encoded into the worst-case scratch, then stored at its real size (EncodedPriceRing's cells are sized for real frames).
        var scratch = _scratch.AsSpan();
        _frames.Store(ClientEncoding.MessagePack, sequence, scratch[.._encoder.EncodeMessagePackFrame(scratch, symbol, bidSource, askSource, slot.Quote)]);
        if (JsonInUse)
        {
            _frames.Store(ClientEncoding.Json, sequence, scratch[.._encoder.EncodeJsonFrame(scratch, symbol, bidSource, askSource, slot.Quote)]);
        }

        if (SseInUse)
        {
            _frames.Store(ClientEncoding.Sse, sequence, scratch[.._encoder.EncodeSseChunk(scratch, symbol, bidSource, askSource, slot.Quote)]);
        }

        if (SocketIoInUse)
        {
            _frames.Store(ClientEncoding.SocketIo, sequence, scratch[..SocketIoPriceEncoder.EncodeFrame(scratch, symbol, bidSource, askSource, slot.Quote)]);
        }
    }

    private void EncodeStatus(PriceSlotKind kind, long sequence)
    {
        // Feed status is rare: building it through the general writer (and allocating) is fine.
        var feed = kind == PriceSlotKind.FeedUp ? FeedState.Up : FeedState.Down;
        var reason = kind == PriceSlotKind.FeedUp ? "upstream publisher connected" : "no upstream publisher";
        var scratch = _scratch.AsSpan();
        foreach (var encoding in (ReadOnlySpan<ClientEncoding>)[ClientEncoding.MessagePack, ClientEncoding.Json])
        {
            var payload = new ArrayBufferWriter<byte>(128);
            ServerMessageWriter.WriteStatus(payload, encoding, feed, reason);
            _frames.Store(encoding, sequence, scratch[..MessageFraming.Write(scratch, encoding, payload.WrittenSpan)]);
        }

        var json = new ArrayBufferWriter<byte>(128);
        ServerMessageWriter.WriteStatus(json, ClientEncoding.Json, feed, reason);
        _frames.Store(ClientEncoding.Sse, sequence, scratch[..SseChunk.WriteEvent(scratch, "status"u8, json.WrittenSpan)]);
        var socketIo = new ArrayBufferWriter<byte>(128);
        SocketIoMessageWriter.WriteStatus(socketIo, feed, reason);
        _frames.Store(ClientEncoding.SocketIo, sequence, scratch[..MessageFraming.Write(scratch, ClientEncoding.SocketIo, socketIo.WrittenSpan)]);
    }
}
