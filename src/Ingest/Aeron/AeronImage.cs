using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Numerics;
using Edge.Protocol.Aeron;

namespace Edge.Ingest.Aeron;

/// <summary>
/// One publisher session on the receiver: the rebuild buffer, the reassembly buffer, the loss detector and
/// the status-message state. Used only by the receive thread.
/// </summary>
/// <remarks>
/// The rebuild buffer (allocated on the first DATA) is a power of two at least as large as the receiver window, indexed by
/// <c>position &amp; (size - 1)</c>, plus one MTU of slack so that a frame that starts near the end stays
/// contiguous. Frames are accepted only inside <c>[consumed, consumed + size)</c>; a sender that honours our
/// status messages never sends past <c>last SM position + window</c>, so nothing valid is refused. A slot
/// holds a frame only if its frame_length is non-zero AND its own term_id/term_offset match the position
/// being read, so stale bytes can never pass for a frame. Consumed frames are zeroed.
/// </remarks>
internal sealed class AeronImage
{
    private const int AlignmentMask = AeronProtocol.FrameAlignment - 1;
    private const int InitialAssemblyCapacity = 4096;

    private readonly long _bufferMask;
    private readonly int _bufferLength;
    private readonly int _termLengthMask;
    private readonly int _maxMessageLength;
    private readonly int _statusMessageThreshold;
    private readonly long _statusMessageIntervalNs;

    private byte[]? _buffer;
    private byte[]? _assembly;
    private int _assemblyLength;
    private bool _assembling;
    private long _assemblyNextPosition;
    private int _assemblyTermId;
    private int _assemblyTermOffset;
    private long _assemblyReservedValue;

    private bool _gapActive;
    private int _gapTermId;
    private int _gapTermOffset;
    private int _gapLength;

    // Multicast NAK suppression: the last NAK another receiver sent for this image, and the last we sent.
    private int _peerNakTermId;
    private int _peerNakTermOffset;
    private int _peerNakLength;
    private long _peerNakUntilNs = long.MinValue;
    private int _sentNakTermId;
    private int _sentNakTermOffset;
    private int _sentNakLength;
    private long _sentNakNs = long.MinValue;

    public AeronImage(
        long imageId,
        int sessionId,
        int streamId,
        SocketAddress source,
        SocketAddress control,
        int initialTermId,
        int activeTermId,
        int termOffset,
        int termLength,
        int mtu,
        int receiverWindow,
        int maxMessageLength,
        long statusMessageIntervalNs,
        long nowNs)
    {
        ImageId = imageId;
        SessionId = sessionId;
        StreamId = streamId;
        Source = source;
        Control = control;
        InitialTermId = initialTermId;
        TermLength = termLength;
        PositionBitsToShift = AeronLogBuffer.PositionBitsToShift(termLength);
        Mtu = mtu;
        ReceiverWindow = receiverWindow;
        _termLengthMask = termLength - 1;
        _maxMessageLength = Math.Min(maxMessageLength, AeronLogBuffer.MaxMessageLength(termLength));
        _statusMessageThreshold = receiverWindow / 4;
        _statusMessageIntervalNs = statusMessageIntervalNs;

        _bufferLength = (int)BitOperations.RoundUpToPowerOf2((uint)receiverWindow);
        _bufferMask = _bufferLength - 1;

        JoinPosition = AeronLogBuffer.ComputePosition(activeTermId, termOffset, PositionBitsToShift, initialTermId);
        ConsumedPosition = JoinPosition;
        HighWaterMark = JoinPosition;
        LastStatusMessagePosition = JoinPosition;
        CreatedNs = nowNs;
        LastPacketNs = nowNs;
        State = AeronImageState.Pending;
        StatusMessageDue = true;
    }

    public long ImageId { get; }

    public int SessionId { get; }

    public int StreamId { get; }

    /// <summary>The publisher's control address (a copy owned by this image).</summary>
    public SocketAddress Source { get; }

    /// <summary>
    /// Where SMs and NAKs go: <see cref="Source"/> for unicast, the control group for multicast, the publisher's
    /// control address for MDC.
    /// </summary>
    public SocketAddress Control { get; }

    public int InitialTermId { get; }

    public int TermLength { get; }

    public int PositionBitsToShift { get; }

    public int Mtu { get; }

    public int ReceiverWindow { get; }

    public long JoinPosition { get; }

    public AeronImageState State { get; private set; }

    /// <summary>What the handler and /metrics know of the image; set when it becomes active.</summary>
    public AeronImageInfo? Info { get; private set; }

    /// <summary>Everything before this position has been delivered (the rebuild position).</summary>
    public long ConsumedPosition { get; private set; }

    /// <summary>The furthest position seen in DATA or heartbeats.</summary>
    public long HighWaterMark { get; private set; }

    public long LastStatusMessagePosition { get; private set; }

    public long NextStatusMessageNs { get; private set; }

    /// <summary>Send a status message at the next timer pass, whatever the cadence says.</summary>
    public bool StatusMessageDue { get; private set; }

    public long CreatedNs { get; }

    public long LastPacketNs { get; private set; }

    public bool EndOfStreamSeen { get; private set; }

    public long EndOfStreamPosition { get; private set; }

    /// <summary>While lingering after end of stream: when to stop and free the slot.</summary>
    public long LingerDeadlineNs { get; private set; }

    public long NakDeadlineNs { get; private set; }

    /// <summary>
    /// A frame arrived that a sender honouring our status messages could not have sent for this stream (past the
    /// window, or behind what it had sent): perhaps a restarted publisher. The dispatcher asks for a SETUP, which settles it.
    /// </summary>
    public bool StreamInDoubt { get; private set; }

    public bool GapActive => _gapActive;

    /// <summary>True once consumption has moved a quarter window past the last status message.</summary>
    public bool StatusMessageThresholdCrossed => ConsumedPosition - LastStatusMessagePosition >= _statusMessageThreshold;

    public bool EndOfStreamReached => EndOfStreamSeen && ConsumedPosition >= EndOfStreamPosition;

    /// <summary>Term id and offset of the consumed position, for status messages.</summary>
    public (int TermId, int TermOffset) ConsumedTermPosition =>
        (AeronLogBuffer.ComputeTermId(ConsumedPosition, PositionBitsToShift, InitialTermId),
         AeronLogBuffer.ComputeTermOffset(ConsumedPosition, PositionBitsToShift));

    /// <summary>Data or a heartbeat has arrived (Pending → Active): the handler is told of the image as <paramref name="info"/>.</summary>
    [MemberNotNull(nameof(Info))]
    public void Activate(AeronImageInfo info)
    {
        State = AeronImageState.Active;
        Info = info;
    }

    /// <summary>The image is over (its end reported, if it was active): its buffers go and it takes no more data.</summary>
    public void End()
    {
        ReleaseBuffers();
        State = AeronImageState.Lingering;
    }

    /// <summary>After end of stream: EOS status messages go out until <paramref name="deadlineNs"/>, then the image is removed.</summary>
    public void LingerUntil(long deadlineNs)
    {
        State = AeronImageState.Lingering;
        LingerDeadlineNs = deadlineNs;
    }

    /// <summary>Something acceptable arrived from the publisher at <paramref name="nowNs"/>: it is alive.</summary>
    public void RecordPacket(long nowNs) => LastPacketNs = nowNs;

    /// <summary>Asks for a status message at the next timer pass (the sender has not seen ours, or missed our EOS).</summary>
    public void RequestStatusMessage() => StatusMessageDue = true;

    /// <summary>Whether a frame put the stream in doubt since the last call (see <see cref="StreamInDoubt"/>); clears it.</summary>
    public bool TakeStreamInDoubt()
    {
        var inDoubt = StreamInDoubt;
        StreamInDoubt = false;
        return inDoubt;
    }

    /// <summary>
    /// The liveness duty: whether the image's time is up. A lingering image only waits for its linger deadline; a
    /// pending one expires after <paramref name="pendingTimeoutNs"/>; any other after <paramref name="livenessTimeoutNs"/>
    /// without a packet.
    /// </summary>
    public AeronImageExpiry CheckExpiry(long nowNs, long pendingTimeoutNs, long livenessTimeoutNs)
    {
        if (State == AeronImageState.Lingering)
        {
            return nowNs - LingerDeadlineNs >= 0 ? AeronImageExpiry.LingerEnded : AeronImageExpiry.None;
        }

        if (State == AeronImageState.Pending && nowNs - CreatedNs >= pendingTimeoutNs)
        {
            return AeronImageExpiry.PendingTimedOut;
        }

        return nowNs - LastPacketNs >= livenessTimeoutNs ? AeronImageExpiry.LivenessTimedOut : AeronImageExpiry.None;
    }

    /// <summary>
    /// The status-message duty: sends one when it is asked for or the interval has passed, or (unless lingering, when
    /// it carries the EOS flag) when consumption has moved a quarter window. Returns the work done (1 if it sent).
    /// </summary>
    public int SendPendingStatusMessage(long nowNs, AeronControlSender sender)
    {
        var lingering = State == AeronImageState.Lingering;
        if (!StatusMessageDue && nowNs - NextStatusMessageNs < 0 && (lingering || !StatusMessageThresholdCrossed))
        {
            return 0;
        }

        SendStatusMessage(nowNs, lingering ? AeronProtocol.StatusMessageEndOfStreamFlag : (byte)0, sender);
        return 1;
    }

    /// <summary>Sends a status message now (at the consumed position) and restarts the cadence from it.</summary>
    public void SendStatusMessage(long nowNs, byte flags, AeronControlSender sender)
    {
        var (termId, termOffset) = ConsumedTermPosition;
        LastStatusMessagePosition = ConsumedPosition;
        NextStatusMessageNs = nowNs + _statusMessageIntervalNs;
        StatusMessageDue = false;
        sender.SendStatusMessage(Control, flags, SessionId, StreamId, termId, termOffset, ReceiverWindow);
    }

    /// <summary>
    /// The loss duty (not while lingering): the NAK due for a gap now (see <see cref="TryTakeNak"/>) is sent, or
    /// counted as suppressed. Returns the work done (1 if a NAK was sent).
    /// </summary>
    public int ProcessPendingLoss(long nowNs, long nakDelayNs, long nakRetryNs, AeronControlSender sender, AeronReceiverCounters counters)
    {
        if (State == AeronImageState.Lingering)
        {
            return 0;
        }

        if (TryTakeNak(nowNs, nakDelayNs, nakRetryNs, out var termId, out var termOffset, out var length, out var suppressed))
        {
            if (sender.SendNak(Control, SessionId, StreamId, termId, termOffset, length))
            {
                Info?.NakSent();
            }

            return 1;
        }

        if (suppressed)
        {
            counters.NakSuppressed();
            Info?.NakSuppressed();
        }

        return 0;
    }

    /// <summary>
    /// When this image's next timer falls due: its status message, its linger deadline while lingering; otherwise also
    /// its liveness timeout, its pending timeout while pending, and its NAK deadline while a gap is open.
    /// </summary>
    public long NextTimerNs(long pendingTimeoutNs, long livenessTimeoutNs)
    {
        if (State == AeronImageState.Lingering)
        {
            return Math.Min(NextStatusMessageNs, LingerDeadlineNs);
        }

        var next = Math.Min(NextStatusMessageNs, LastPacketNs + livenessTimeoutNs);
        if (State == AeronImageState.Pending)
        {
            next = Math.Min(next, CreatedNs + pendingTimeoutNs);
        }

        if (GapActive)
        {
            next = Math.Min(next, NakDeadlineNs);
        }

        return next;
    }

    /// <summary>
    /// A heartbeat (32-byte DATA with frame_length 0) at <paramref name="termId"/>/<paramref name="termOffset"/>:
    /// raises the high-water mark so tail loss shows, and records end of stream. Returns false if outside the window.
    /// </summary>
    public bool OnHeartbeat(int termId, int termOffset, bool endOfStream, AeronReceiverCounters counters)
    {
        var position = AeronLogBuffer.ComputePosition(termId, termOffset, PositionBitsToShift, InitialTermId);
        if (position > ConsumedPosition + _bufferLength)
        {
            counters.Drop(AeronDropReason.OverRun);
            StreamInDoubt = true;
            return false;
        }

        if (position < ConsumedPosition)
        {
            // A heartbeat carries the sender's position, never behind what it sent us: a restarted publisher (or a
            // reordered heartbeat). Within a term it still proves liveness; further back it cannot be this stream.
            StreamInDoubt = true;
            if (position < ConsumedPosition - TermLength)
            {
                counters.Drop(AeronDropReason.UnderRun);
                return false;
            }

            return true;
        }

        if (endOfStream && !EndOfStreamSeen)
        {
            EndOfStreamSeen = true;
            EndOfStreamPosition = position;
        }

        if (position > HighWaterMark)
        {
            HighWaterMark = position;
        }

        return true;
    }

    /// <summary>
    /// Places the frames of one DATA/PAD datagram (already known to be for this image, its first term offset
    /// valid). Each frame is checked on its own; the first bad one ends the datagram. Returns true if at least
    /// one frame was acceptable (placed or a duplicate), which proves the sender is alive.
    /// </summary>
    public bool OnData(ReadOnlySpan<byte> datagram, int termId, int termOffset, AeronReceiverCounters counters)
    {
        // Allocated on the first DATA, not on SETUP: a flood of SETUPs costs no buffers.
        _buffer ??= new byte[_bufferLength + Mtu];
        var framePosition = AeronLogBuffer.ComputePosition(termId, termOffset, PositionBitsToShift, InitialTermId);
        var expectedTermOffset = termOffset;
        var offset = 0;
        var accepted = false;

        while (datagram.Length - offset >= AeronProtocol.DataHeaderLength)
        {
            var frame = datagram[offset..];
            var frameLength = FrameHeaderFlyweight.ReadFrameLength(frame);
            var type = FrameHeaderFlyweight.ReadType(frame);
            if (FrameHeaderFlyweight.ReadVersion(frame) != AeronProtocol.CurrentVersion
                || (type != AeronFrameType.Data && type != AeronFrameType.Pad)
                || DataHeaderFlyweight.ReadTermOffset(frame) != expectedTermOffset
                || DataHeaderFlyweight.ReadSessionId(frame) != SessionId
                || DataHeaderFlyweight.ReadStreamId(frame) != StreamId
                || DataHeaderFlyweight.ReadTermId(frame) != termId
                || frameLength < AeronProtocol.DataHeaderLength)
            {
                counters.Drop(AeronDropReason.MalformedFrame);
                return accepted;
            }

            var alignedLength = (frameLength + AlignmentMask) & ~AlignmentMask;
            int copyLength;
            int footprint;
            if (type == AeronFrameType.Pad)
            {
                // Only the header of a PAD travels; it stands for the rest of its frame_length.
                if (frameLength > TermLength - expectedTermOffset)
                {
                    counters.Drop(AeronDropReason.MalformedFrame);
                    return accepted;
                }

                copyLength = AeronProtocol.DataHeaderLength;
                footprint = AeronProtocol.DataHeaderLength;
            }
            else
            {
                if (frameLength > Mtu || frameLength > frame.Length || alignedLength > TermLength - expectedTermOffset)
                {
                    counters.Drop(AeronDropReason.MalformedFrame);
                    return accepted;
                }

                copyLength = frameLength;
                footprint = alignedLength;
            }

            if (framePosition < ConsumedPosition)
            {
                counters.Drop(AeronDropReason.UnderRun);

                // A retransmit is never more than term length / 2 + one message behind the sender; further back
                // it is not this stream (a restarted publisher) and proves nothing about this one.
                if (framePosition < ConsumedPosition - TermLength)
                {
                    StreamInDoubt = true;
                }
                else
                {
                    accepted = true;
                }
            }
            else if (framePosition + footprint > ConsumedPosition + _bufferLength)
            {
                counters.Drop(AeronDropReason.OverRun);
                StreamInDoubt = true;
                return accepted;
            }
            else
            {
                accepted = true;
                if (Place(frame[..copyLength], framePosition, termId, expectedTermOffset))
                {
                    counters.DataFrame();
                }
                else
                {
                    counters.Drop(AeronDropReason.Duplicate);
                }

                if (framePosition + footprint > HighWaterMark)
                {
                    HighWaterMark = framePosition + footprint;
                }
            }

            if (type == AeronFrameType.Pad)
            {
                return accepted;
            }

            offset += alignedLength;
            expectedTermOffset += alignedLength;
            framePosition += alignedLength;
        }

        return accepted;
    }

    /// <summary>
    /// Delivers every contiguous frame from the consumed position on: whole messages straight from the rebuild
    /// buffer, fragments through the reassembly buffer. Returns the number of messages delivered.
    /// </summary>
    public int Drain<THandler>(ref THandler handler, AeronReceiverCounters counters, Action<Exception>? errorHandler)
        where THandler : IAeronMessageHandler
    {
        var delivered = 0;
        while (_buffer is not null)
        {
            var position = ConsumedPosition;
            var index = (int)(position & _bufferMask);
            var slot = _buffer.AsSpan(index);
            var frameLength = FrameHeaderFlyweight.ReadFrameLength(slot);
            if (frameLength == 0)
            {
                break;
            }

            var termOffset = (int)position & _termLengthMask;
            var termId = AeronLogBuffer.ComputeTermId(position, PositionBitsToShift, InitialTermId);
            if (!SlotHolds(slot, termId, termOffset))
            {
                break;
            }

            var alignedLength = (frameLength + AlignmentMask) & ~AlignmentMask;
            if (FrameHeaderFlyweight.ReadType(slot) == AeronFrameType.Pad)
            {
                slot[..AeronProtocol.DataHeaderLength].Clear();
                DiscardPartialMessage(counters);
                ConsumedPosition = position + alignedLength;
                continue;
            }

            var next = position + alignedLength;
            var flags = FrameHeaderFlyweight.ReadFlags(slot);
            var payload = slot.Slice(AeronProtocol.DataHeaderLength, frameLength - AeronProtocol.DataHeaderLength);
            var reservedValue = DataHeaderFlyweight.ReadReservedValue(slot);
            if ((flags & AeronProtocol.UnfragmentedFlags) == AeronProtocol.UnfragmentedFlags)
            {
                DiscardPartialMessage(counters);
                var header = new AeronMessageHeader(ImageId, SessionId, StreamId, termId, termOffset, next, reservedValue);
                Deliver(ref handler, payload, header, counters, errorHandler);
                delivered++;
            }
            else if ((flags & AeronProtocol.BeginFlag) != 0)
            {
                DiscardPartialMessage(counters);
                _assembling = true;
                _assemblyLength = 0;
                _assemblyTermId = termId;
                _assemblyTermOffset = termOffset;
                _assemblyReservedValue = reservedValue;
                _assemblyNextPosition = next;
                Append(payload, counters);
            }
            else if (_assembling && position == _assemblyNextPosition)
            {
                _assemblyNextPosition = next;
                Append(payload, counters);
                if (_assembling && (flags & AeronProtocol.EndFlag) != 0)
                {
                    _assembling = false;
                    var header = new AeronMessageHeader(
                        ImageId, SessionId, StreamId, _assemblyTermId, _assemblyTermOffset, next, _assemblyReservedValue);
                    Deliver(ref handler, _assembly.AsSpan(0, _assemblyLength), header, counters, errorHandler);
                    delivered++;
                }
            }
            else
            {
                counters.Drop(AeronDropReason.FragmentDiscarded);
            }

            slot[..alignedLength].Clear();
            ConsumedPosition = next;
        }

        if (HighWaterMark < ConsumedPosition)
        {
            HighWaterMark = ConsumedPosition;
        }

        return delivered;
    }

    /// <summary>
    /// Loss detection (C: aeron_loss_detector_scan): if data sits beyond a hole at the consumed position, find the
    /// hole (32-byte steps up to the next frame, the high-water mark or the end of the term) and NAK it after the
    /// delay, then again every retry interval while it stays. Returns the NAK to send, if one is due now.
    /// </summary>
    /// <remarks>
    /// Multicast: a NAK due for a gap another receiver NAKed within the retry interval is not sent (<paramref name="suppressed"/>)
    /// but put off until that NAK's retry interval has passed; the retransmission it asked for reaches every receiver.
    /// </remarks>
    private bool TryTakeNak(long nowNs, long nakDelayNs, long nakRetryNs, out int termId, out int termOffset, out int length, out bool suppressed)
    {
        suppressed = false;
        termId = 0;
        termOffset = 0;
        length = 0;
        if (HighWaterMark <= ConsumedPosition)
        {
            _gapActive = false;
            return false;
        }

        var start = ConsumedPosition;
        var gapTermOffset = (int)start & _termLengthMask;
        var gapTermId = AeronLogBuffer.ComputeTermId(start, PositionBitsToShift, InitialTermId);
        var limit = Math.Min(HighWaterMark, start - gapTermOffset + TermLength);
        var scan = start + AeronProtocol.FrameAlignment;
        while (scan < limit && !Holds(scan))
        {
            scan += AeronProtocol.FrameAlignment;
        }

        var gapLength = (int)(Math.Min(scan, limit) - start);
        if (!_gapActive || gapTermId != _gapTermId || gapTermOffset != _gapTermOffset)
        {
            _gapActive = true;
            _gapTermId = gapTermId;
            _gapTermOffset = gapTermOffset;
            NakDeadlineNs = nowNs + nakDelayNs;
        }

        _gapLength = gapLength;
        if (nowNs < NakDeadlineNs)
        {
            return false;
        }

        if (nowNs < _peerNakUntilNs
            && _peerNakTermId == _gapTermId
            && _peerNakTermOffset <= _gapTermOffset
            && _gapTermOffset < _peerNakTermOffset + _peerNakLength)
        {
            NakDeadlineNs = _peerNakUntilNs;
            suppressed = true;
            return false;
        }

        NakDeadlineNs = nowNs + nakRetryNs;
        _sentNakTermId = _gapTermId;
        _sentNakTermOffset = _gapTermOffset;
        _sentNakLength = _gapLength;
        _sentNakNs = nowNs;
        termId = _gapTermId;
        termOffset = _gapTermOffset;
        length = _gapLength;
        return true;
    }

    /// <summary>
    /// A NAK for this image seen on the multicast control group. Our own NAK looped back (same range, sent within the
    /// retry interval) is not another receiver's and is ignored.
    /// </summary>
    public void OnPeerNak(int termId, int termOffset, int length, long nowNs, long nakRetryNs)
    {
        if (length <= 0
            || (termId == _sentNakTermId && termOffset == _sentNakTermOffset && length == _sentNakLength && nowNs - _sentNakNs < nakRetryNs))
        {
            return;
        }

        _peerNakTermId = termId;
        _peerNakTermOffset = termOffset;
        _peerNakLength = length;
        _peerNakUntilNs = nowNs + nakRetryNs;
    }

    /// <summary>Lets the buffers go (the reassembly buffer back to the pool); the image takes no data afterwards.</summary>
    public void ReleaseBuffers()
    {
        _buffer = null;
        if (_assembly is not null)
        {
            ArrayPool<byte>.Shared.Return(_assembly);
            _assembly = null;
        }
    }

    private bool Holds(long position)
    {
        if (_buffer is null)
        {
            return false;
        }

        var slot = _buffer.AsSpan((int)(position & _bufferMask));
        return FrameHeaderFlyweight.ReadFrameLength(slot) != 0
            && SlotHolds(
                slot,
                AeronLogBuffer.ComputeTermId(position, PositionBitsToShift, InitialTermId),
                (int)position & _termLengthMask);
    }

    private static bool SlotHolds(ReadOnlySpan<byte> slot, int termId, int termOffset) =>
        DataHeaderFlyweight.ReadTermOffset(slot) == termOffset && DataHeaderFlyweight.ReadTermId(slot) == termId;

    private bool Place(ReadOnlySpan<byte> frame, long position, int termId, int termOffset)
    {
        var slot = _buffer!.AsSpan((int)(position & _bufferMask));
        if (FrameHeaderFlyweight.ReadFrameLength(slot) != 0 && SlotHolds(slot, termId, termOffset))
        {
            return false;
        }

        // Stale bytes (not a frame for this position) are simply overwritten.
        frame.CopyTo(slot);
        return true;
    }

    private void Append(ReadOnlySpan<byte> payload, AeronReceiverCounters counters)
    {
        var required = _assemblyLength + payload.Length;
        if (required > _maxMessageLength)
        {
            _assembling = false;
            counters.Drop(AeronDropReason.MessageTooLong);
            return;
        }

        if (_assembly is null || _assembly.Length < required)
        {
            var capacity = Math.Max(InitialAssemblyCapacity, _assembly?.Length ?? 0);
            while (capacity < required)
            {
                capacity *= 2;
            }

            var grown = ArrayPool<byte>.Shared.Rent(Math.Min(capacity, Math.Max(required, _maxMessageLength)));
            if (_assembly is not null)
            {
                _assembly.AsSpan(0, _assemblyLength).CopyTo(grown);
                ArrayPool<byte>.Shared.Return(_assembly);
            }

            _assembly = grown;
        }

        payload.CopyTo(_assembly.AsSpan(_assemblyLength));
        _assemblyLength = required;
    }

    private void DiscardPartialMessage(AeronReceiverCounters counters)
    {
        if (_assembling)
        {
            _assembling = false;
            counters.Drop(AeronDropReason.FragmentDiscarded);
        }
    }

    private static void Deliver<THandler>(
        ref THandler handler,
        ReadOnlySpan<byte> message,
        in AeronMessageHeader header,
        AeronReceiverCounters counters,
        Action<Exception>? errorHandler)
        where THandler : IAeronMessageHandler
    {
        try
        {
            handler.OnMessage(message, header);
        }
        catch (Exception e)
        {
            counters.HandlerError();
            ErrorCallback.Report(errorHandler, e);
        }

        counters.Delivered(message.Length);
    }
}
