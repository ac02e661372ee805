using System.Net;

namespace Edge.Ingest.Aeron;

/// <summary>One publisher session (an "image") as the receiver sees it. Created once per image; immutable.</summary>
public sealed class AeronImageInfo
{
    public AeronImageInfo(
        long imageId,
        int sessionId,
        int streamId,
        IPEndPoint source,
        int initialTermId,
        int termLength,
        int mtu,
        long joinPosition)
    {
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

    /// <summary>The stream position the receiver joined at (the SETUP's active term id and term offset).</summary>
    public long JoinPosition { get; }

    public override string ToString() =>
        $"image {ImageId} session {SessionId} stream {StreamId} from {Source} (term {TermLength}, mtu {Mtu}, joined at {JoinPosition})";
}
