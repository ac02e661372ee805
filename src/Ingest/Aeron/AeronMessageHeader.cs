namespace Edge.Ingest.Aeron;

/// <summary>Where a delivered message sits in its stream.</summary>
public readonly struct AeronMessageHeader
{
    public AeronMessageHeader(long imageId, int sessionId, int streamId, int termId, int termOffset, long position, long reservedValue)
    {
        ImageId = imageId;
        SessionId = sessionId;
        StreamId = streamId;
        TermId = termId;
        TermOffset = termOffset;
        Position = position;
        ReservedValue = reservedValue;
    }

    /// <summary>The receiver-local id of the image (see <see cref="AeronImageInfo.ImageId"/>).</summary>
    public long ImageId { get; }

    public int SessionId { get; }

    public int StreamId { get; }

    /// <summary>Term of the message's first frame.</summary>
    public int TermId { get; }

    /// <summary>Term offset of the message's first frame.</summary>
    public int TermOffset { get; }

    /// <summary>Stream position just after the message (Aeron's <c>Header.position()</c>).</summary>
    public long Position { get; }

    /// <summary>The reserved_value of the message's first frame (set by the publishing application, usually 0).</summary>
    public long ReservedValue { get; }
}
