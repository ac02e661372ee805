namespace Edge.Ingest.Tests.Aeron;

/// <summary>Builds the datagrams a sender would send for one session, by hand, for in-memory tests.</summary>
internal sealed class FrameBuilder
{
    public FrameBuilder(int sessionId, int streamId, int initialTermId, int termLength, int mtu = 1408)
    {
        SessionId = sessionId;
        StreamId = streamId;
        InitialTermId = initialTermId;
        TermLength = termLength;
        Mtu = mtu;
    }

    public int SessionId { get; }

    public int StreamId { get; }

    public int InitialTermId { get; }

    public int TermLength { get; }

    public int Mtu { get; }

    public byte[] Setup(int activeTermId, int termOffset, int? termLength = null, int? mtu = null, int? streamId = null, int? sessionId = null)
    {
        var frame = new byte[AeronProtocol.SetupLength];
        SetupFlyweight.Encode(frame, termOffset, sessionId ?? SessionId, streamId ?? StreamId, InitialTermId, activeTermId, termLength ?? TermLength, mtu ?? Mtu);
        return frame;
    }

    /// <summary>One DATA frame (aligned length on the wire) whose payload is <paramref name="payload"/>.</summary>
    public byte[] Data(int termId, int termOffset, ReadOnlySpan<byte> payload, byte flags = AeronProtocol.UnfragmentedFlags)
    {
        var frameLength = AeronProtocol.DataHeaderLength + payload.Length;
        var frame = new byte[AeronLogBuffer.Align(frameLength, AeronProtocol.FrameAlignment)];
        payload.CopyTo(frame.AsSpan(AeronProtocol.DataHeaderLength));
        DataHeaderFlyweight.Encode(frame, frameLength, flags, AeronFrameType.Data, termOffset, SessionId, StreamId, termId);
        return frame;
    }

    /// <summary>A PAD header (only its 32 bytes travel) standing for <paramref name="padLength"/> bytes.</summary>
    public byte[] Pad(int termId, int termOffset, int padLength)
    {
        var frame = new byte[AeronProtocol.DataHeaderLength];
        DataHeaderFlyweight.Encode(frame, padLength, AeronProtocol.UnfragmentedFlags, AeronFrameType.Pad, termOffset, SessionId, StreamId, termId);
        return frame;
    }

    public byte[] Heartbeat(int termId, int termOffset, bool endOfStream = false)
    {
        var frame = new byte[AeronProtocol.DataHeaderLength];
        var flags = (byte)(AeronProtocol.UnfragmentedFlags | (endOfStream ? AeronProtocol.EndOfStreamFlag : 0));
        DataHeaderFlyweight.Encode(frame, 0, flags, AeronFrameType.Data, termOffset, SessionId, StreamId, termId);
        return frame;
    }

    /// <summary>Test messages of <paramref name="length"/> bytes from <paramref name="firstSequence"/>, packed into one datagram.</summary>
    public byte[] Messages(int termId, int termOffset, long firstSequence, int count, int length)
    {
        var frames = new List<byte>();
        var payload = new byte[length];
        for (var i = 0; i < count; i++)
        {
            TestMessages.Fill(payload, firstSequence + i);
            var frame = Data(termId, termOffset, payload);
            frames.AddRange(frame);
            termOffset += frame.Length;
        }

        return [.. frames];
    }

    public static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();
}
