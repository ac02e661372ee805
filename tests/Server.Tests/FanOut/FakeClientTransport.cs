using Edge.Protocol;
using Edge.Protocol.Client;
using Edge.Protocol.WebSockets;
using Edge.Server.Transport;

namespace Edge.Server.Tests.FanOut;

/// <summary>
/// A client connection without a socket: the test sets its writability and queued bytes, and reads back each
/// flushed cork as one write. Frames corked by reference are read at flush time, as a gathered write reads them, so
/// a fan-out that lets such a frame change before its flush writes the wrong bytes here too.
/// </summary>
internal sealed unsafe class FakeClientTransport : IClientTransport
{
    private readonly List<byte> _cork = [];

    /// <summary>Frames corked by reference: where they lie and where they go in the cork, read only at flush time.</summary>
    private readonly List<(nint Address, int Length, int Position)> _pinned = [];
    private bool _corked;

    public bool IsWritable { get; set; } = true;

    public long QueuedBytes { get; set; }

    /// <summary>What <see cref="DiscardBacklog"/> reports as dropped.</summary>
    public long BacklogBytes { get; set; }

    public int BacklogDiscards { get; private set; }

    public bool DirectWritesEnabled { get; private set; }

    /// <summary>Thrown by every <see cref="Cork"/> while set: a connection that cannot take a frame.</summary>
    public Exception? CorkFault { get; set; }

    /// <summary>Each flushed cork, in order.</summary>
    public List<byte[]> Writes { get; } = [];

    public bool IsCorked => _corked;

    public int CorkedBytes => _corked ? _cork.Count : 0;

    public void CorkPinned(ReadOnlySpan<byte> frame)
    {
        Cork(frame);
        var position = _cork.Count - frame.Length;
        fixed (byte* start = frame)
        {
            // The memory is pinned by contract (the encoded-price ring): the address stays valid until the flush.
            _pinned.Add(((nint)start, frame.Length, position));
        }
    }

    public void Cork(ReadOnlySpan<byte> frame)
    {
        if (CorkFault is not null)
        {
            throw CorkFault;
        }

        if (!_corked)
        {
            _cork.Clear();
            _corked = true;
        }

        _cork.AddRange(frame);
    }

    public bool FlushCork()
    {
        if (!_corked)
        {
            return false;
        }

        _corked = false;
        byte[] write = [.. _cork];
        foreach (var (address, length, position) in _pinned)
        {
            new ReadOnlySpan<byte>((byte*)address, length).CopyTo(write.AsSpan(position));
        }

        _pinned.Clear();
        Writes.Add(write);
        // As through the pipeline: the fan-out then reads the writability again.
        return false;
    }

    public void PrefetchFlushState()
    {
        // A hint: nothing to fetch for a connection without a socket.
    }

    public void ReleaseCork()
    {
        _corked = false;
        _cork.Clear();
        _pinned.Clear();
    }

    public void EnableDirectWrites() => DirectWritesEnabled = true;

    public long DiscardBacklog()
    {
        BacklogDiscards++;
        return BacklogBytes;
    }

    /// <summary>The prices written so far, in order (WebSocket frames in <paramref name="encoding"/>).</summary>
    public List<BestPrice> Prices(ClientEncoding encoding = ClientEncoding.MessagePack)
    {
        var prices = new List<BestPrice>();
        foreach (var write in Writes)
        {
            Decode(encoding, write, prices);
        }

        return prices;
    }

    /// <summary>The upstream sequence numbers of the prices written so far (MessagePack), in order.</summary>
    public List<ulong> Sequences() => [.. Prices().Select(price => price.Sequence)];

    /// <summary>Adds the prices in <paramref name="frames"/> (whole WebSocket frames, as the server writes them) to <paramref name="prices"/>.</summary>
    public static void Decode(ClientEncoding encoding, ReadOnlySpan<byte> frames, List<BestPrice> prices)
    {
        while (!frames.IsEmpty)
        {
            Assert.That(WebSocketFrame.TryReadHeader(frames, expectMasked: false, out var header), Is.EqualTo(WebSocketFrameHeaderStatus.Ok));
            var payload = frames.Slice(header.HeaderLength, (int)header.PayloadLength).ToArray();
            Assert.That(ServerMessageDecoder.TryDecode(encoding, payload, out var message), Is.True, "a well-formed server message");
            Assert.That(message!.Type, Is.EqualTo(ServerMessageType.Price));
            prices.Add(message.Price!);
            frames = frames[(int)header.FrameLength..];
        }
    }
}
