using System.Net;

namespace Edge.Ingest.Aeron;

/// <summary>One publisher session (an "image") as the receiver sees it. Created once per image; immutable but for its NAK counts.</summary>
public sealed class AeronImageInfo
{
    // Written by the receive thread only; read by metrics.
    private long _naksSent;
    private long _naksSuppressed;

    public AeronImageInfo(
        long imageId,
        int sessionId,
        int streamId,
        IPEndPoint source,
        int initialTermId,
        int termLength,
        int mtu,
        long joinPosition,
        AeronChannelKind kind = AeronChannelKind.Unicast)
    {
        Kind = kind;
        ImageId = imageId;
        SessionId = sessionId;
        StreamId = streamId;
        Source = source;
        InitialTermId = initialTermId;
        TermLength = termLength;
        Mtu = mtu;
        JoinPosition = joinPosition;
    }

    /// <summary>Receiver-local id, increasing from 1; tells apart two images with the same session id.</summary>
    public long ImageId { get; }

    public int SessionId { get; }

    public int StreamId { get; }

    /// <summary>The publisher's control address (the source of its SETUP); SMs and NAKs go there.</summary>
    public IPEndPoint Source { get; }

    public int InitialTermId { get; }

    public int TermLength { get; }

    public int Mtu { get; }

    /// <summary>How the image's channel reaches this receiver: unicast, multicast or MDC.</summary>
    public AeronChannelKind Kind { get; }

    /// <summary>NAKs this receiver sent for the image (readable from any thread).</summary>
    public long NaksSent => Volatile.Read(ref _naksSent);

    /// <summary>Multicast: NAKs held back because another receiver NAKed the same gap first.</summary>
    public long NaksSuppressed => Volatile.Read(ref _naksSuppressed);

    /// <summary>The stream position the receiver joined at (the SETUP's active term id and term offset).</summary>
    public long JoinPosition { get; }

    internal void NakSent() => Volatile.Write(ref _naksSent, _naksSent + 1);

    internal void NakSuppressed() => Volatile.Write(ref _naksSuppressed, _naksSuppressed + 1);

    public override string ToString() =>
        $"image {ImageId} session {SessionId} stream {StreamId} from {Source} (term {TermLength}, mtu {Mtu}, joined at {JoinPosition})";
}
