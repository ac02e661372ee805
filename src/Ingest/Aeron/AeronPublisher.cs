using System.Net;
using System.Net.Sockets;
using Edge.Protocol.Aeron;

namespace Edge.Ingest.Aeron;

/// <summary>
/// An Aeron UDP publication without a media driver: what the C driver's network publication does, in process, to one
/// unicast receiver, a multicast group, or (dynamic MDC) every receiver whose status messages reach its control
/// address. It feeds an <see cref="AeronReceiver{THandler}"/> or a real Aeron subscriber.
/// </summary>
/// <remarks>
/// <para><see cref="Offer"/> is thread-safe (offers are serialised by a lock) and never allocates: it appends the
/// message (fragmented into MTU − 32 byte pieces when longer) to the current term, padding to the next term
/// when it does not fit. One duty thread ("aeron-publisher") does the rest: SETUP every 100 ms until the first
/// status message, DATA within the receiver's window (several frames per datagram up to the MTU), heartbeats
/// when idle, retransmission on NAK from the three retained terms, and end of stream on <see cref="Dispose"/>.
/// It parks on an event when idle (woken by offers, at most <see cref="AeronPublisherOptions.IdleWait"/> so
/// control frames are read), so it does not spin.</para>
/// <para>The duty thread reads the log without the lock: offers publish the tail with a release write after
/// the frames are complete, and the publication window keeps offers three terms away from anything the duty
/// thread may still send or re-send.</para>
/// </remarks>
public sealed class AeronPublisher : IDisposable
{
    private const int MaxDatagramsPerCycle = 64;
    private const int RetransmitSlots = 16;

    private readonly Socket _socket;
    private readonly SocketAddress _destination;
    private readonly AeronChannelKind _kind;
    private readonly AeronFlowControl _flowControl;
    private readonly long _receiverTimeoutNs;
    private readonly long _destinationTimeoutNs;
    private readonly byte[][] _terms;
    private readonly int _termLengthMask;
    private readonly int _positionBitsToShift;
    private readonly int _maxPayload;
    private readonly int _publicationWindow;
    private readonly long _setupIntervalNs;
    private readonly long _heartbeatIntervalNs;
    private readonly long _connectionTimeoutNs;
    private readonly long _retransmitLingerNs;
    private readonly long _closeLingerNs;
    private readonly int _idleWaitMs;
    private readonly Lock _offerLock = new();
    private readonly ManualResetEventSlim _wakeup = new(false, 1);
    private readonly Thread _thread;

    // Duty-thread-only state.
    private readonly byte[] _controlFrame = new byte[64];
    private readonly byte[] _receiveBuffer = new byte[65536];
    private readonly SocketAddress _controlSource;
    private readonly int _controlSourceCapacity;
    private readonly long[] _retransmitPositions = new long[RetransmitSlots];
    private readonly long[] _retransmitTimes = new long[RetransmitSlots];
    private int _nextRetransmitSlot;
    private long _senderLimit;
    private long _lastStatusMessageNs;
    private long _lastSetupNs;
    private long _lastSendNs;
    private bool _sendSetup = true;
    private long _closeDeadlineNs;
    private bool _endOfStreamAcknowledged;
    private bool _endOfStreamSent;

    // Receivers by receiver id (flow control and connection), and MDC destinations by address: duty thread only.
    private readonly long[] _receiverIds;
    private readonly long[] _receiverLimits;
    private readonly long[] _receiverSeenNs;
    private readonly SocketAddress[] _destinations;
    private readonly long[] _destinationSeenNs;
    private int _receiverCount;
    private int _destinationCount;
    private int _dropDataDatagrams;
    private int _dropRetransmits;

    // Shared state.
    private long _publicationPosition;
    private long _senderPosition;
    private volatile bool _connected;
    private volatile bool _closed;

    public AeronPublisher(AeronPublisherOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        StreamId = options.StreamId;
        SessionId = options.SessionId ?? Random.Shared.Next(1, int.MaxValue);
        InitialTermId = options.InitialTermId ?? Random.Shared.Next(int.MinValue, int.MaxValue);
        TermLength = options.TermLength;
        Mtu = options.Mtu;
        MaxMessageLength = AeronLogBuffer.MaxMessageLength(TermLength);
        _termLengthMask = TermLength - 1;
        _positionBitsToShift = AeronLogBuffer.PositionBitsToShift(TermLength);
        _maxPayload = Mtu - AeronProtocol.DataHeaderLength;
        _publicationWindow = options.PublicationWindowLength ?? TermLength / 2;
        _setupIntervalNs = MonotonicClock.ToNanoseconds(options.SetupInterval);
        _heartbeatIntervalNs = MonotonicClock.ToNanoseconds(options.HeartbeatInterval);
        _connectionTimeoutNs = MonotonicClock.ToNanoseconds(options.ConnectionTimeout);
        _retransmitLingerNs = MonotonicClock.ToNanoseconds(options.RetransmitLinger);
        _closeLingerNs = MonotonicClock.ToNanoseconds(options.CloseLingerTimeout);
        _kind = options.Kind;
        _flowControl = options.FlowControl;
        _receiverTimeoutNs = MonotonicClock.ToNanoseconds(
            options.FlowControl == AeronFlowControl.Min ? options.FlowControlReceiverTimeout : options.ConnectionTimeout);
        _destinationTimeoutNs = MonotonicClock.ToNanoseconds(options.DestinationTimeout);
        _receiverIds = new long[options.MaxReceivers];
        _receiverLimits = new long[options.MaxReceivers];
        _receiverSeenNs = new long[options.MaxReceivers];
        _destinations = new SocketAddress[options.Kind == AeronChannelKind.Mdc ? options.MaxReceivers : 0];
        _destinationSeenNs = new long[_destinations.Length];
        _idleWaitMs = Math.Max(1, (int)options.IdleWait.TotalMilliseconds);
        _terms = new byte[AeronProtocol.PartitionCount][];
        for (var i = 0; i < _terms.Length; i++)
        {
            _terms[i] = new byte[TermLength];
        }

        Array.Fill(_retransmitPositions, -1);
        _destination = options.Destination.Serialize();
        var family = options.Kind == AeronChannelKind.Mdc ? options.Control!.AddressFamily : options.Destination.AddressFamily;
        for (var i = 0; i < _destinations.Length; i++)
        {
            _destinations[i] = new SocketAddress(family);
        }

        _socket = new Socket(family, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            if (options.SocketSendBufferSize > 0)
            {
                _socket.SendBufferSize = options.SocketSendBufferSize;
            }

            var any = family == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any;
            if (options.Kind == AeronChannelKind.Multicast)
            {
                // Receivers send SMs and NAKs to the control group on the channel's port: listen there (shared).
                var control = AeronChannel.ControlGroupOf(options.Destination);
                MulticastSockets.BindShared(_socket, options.Destination.Port, options.MulticastInterface, control.Address);
                MulticastSockets.ConfigureSend(_socket, options.MulticastInterface, options.MulticastTtl);
            }
            else if (options.Kind == AeronChannelKind.Mdc)
            {
                _socket.Bind(options.Control!);
            }
            else
            {
                _socket.Bind(options.LocalEndpoint ?? new IPEndPoint(any, 0));
            }

            LocalEndPoint = (IPEndPoint)_socket.LocalEndPoint!;
        }
        catch
        {
            _socket.Dispose();
            throw;
        }

        _controlSource = new SocketAddress(_socket.AddressFamily);
        _controlSourceCapacity = _controlSource.Size;
        Counters = new AeronPublisherCounters();
        _thread = new Thread(Run) { Name = options.ThreadName, IsBackground = true };
        _thread.Start();
    }

    public int SessionId { get; }

    public int StreamId { get; }

    public int InitialTermId { get; }

    public int TermLength { get; }

    public int Mtu { get; }

    /// <summary>min(term length / 8, 16 MiB), as in Aeron.</summary>
    public int MaxMessageLength { get; }

    /// <summary>The local address status messages and NAKs must be sent to.</summary>
    public IPEndPoint LocalEndPoint { get; }

    /// <summary>Unicast, multicast or MDC.</summary>
    public AeronChannelKind Kind => _kind;

    /// <summary>Receivers (by receiver id) whose status messages are live now; readable from any thread.</summary>
    public int ReceiverCount => Volatile.Read(ref _receiverCount);

    /// <summary>MDC: the destinations sent to now; readable from any thread.</summary>
    public int DestinationCount => Volatile.Read(ref _destinationCount);

    /// <summary>Test hook: the next <paramref name="count"/> DATA datagrams are not sent (as if lost), so NAKs must recover them.</summary>
    internal void DropNextDataDatagrams(int count) => Interlocked.Add(ref _dropDataDatagrams, count);

    /// <summary>Test hook: the next <paramref name="count"/> retransmissions are not sent either, so receivers keep NAKing.</summary>
    internal void DropNextRetransmits(int count) => Interlocked.Add(ref _dropRetransmits, count);

    public AeronPublisherCounters Counters { get; }

    /// <summary>True from the first status message until none has come for the connection timeout (or an EOS SM).</summary>
    public bool IsConnected => _connected;

    /// <summary>The position after the last offered message.</summary>
    public long Position => Volatile.Read(ref _publicationPosition);

    /// <summary>How far the duty thread has sent.</summary>
    public long SenderPosition => Volatile.Read(ref _senderPosition);

    /// <summary>Appends one message to the log. Thread-safe, allocation-free.</summary>
    public AeronOfferResult Offer(ReadOnlySpan<byte> message, long reservedValue = 0)
    {
        if (message.Length > MaxMessageLength)
        {
            return AeronOfferResult.MessageTooLarge;
        }

        lock (_offerLock)
        {
            if (_closed)
            {
                return AeronOfferResult.Closed;
            }

            if (!_connected)
            {
                Counters.NotConnectedOffer();
                return AeronOfferResult.NotConnected;
            }

            var position = _publicationPosition;
            if (position >= Volatile.Read(ref _senderPosition) + _publicationWindow)
            {
                Counters.BackPressure();
                return AeronOfferResult.BackPressured;
            }

            var fullFrames = message.Length / _maxPayload;
            var lastPayload = message.Length - (fullFrames * _maxPayload);
            var frameCount = lastPayload > 0 || fullFrames == 0 ? fullFrames + 1 : fullFrames;
            var lastFrameLength = lastPayload > 0 || fullFrames == 0 ? lastPayload + AeronProtocol.DataHeaderLength : Mtu;
            var required = ((frameCount - 1) * Mtu) + AeronLogBuffer.Align(lastFrameLength, AeronProtocol.FrameAlignment);

            var termOffset = (int)position & _termLengthMask;
            if (termOffset + required > TermLength)
            {
                // The whole message must sit in one term: pad out this one and start the next.
                var padLength = TermLength - termOffset;
                var termId = AeronLogBuffer.ComputeTermId(position, _positionBitsToShift, InitialTermId);
                DataHeaderFlyweight.Encode(
                    Term(position).AsSpan(termOffset), padLength, AeronProtocol.UnfragmentedFlags, AeronFrameType.Pad,
                    termOffset, SessionId, StreamId, termId);
                position += padLength;
                termOffset = 0;
            }

            var term = Term(position).AsSpan();
            var frameTermId = AeronLogBuffer.ComputeTermId(position, _positionBitsToShift, InitialTermId);
            var remaining = message;
            for (var i = 0; i < frameCount; i++)
            {
                var payloadLength = Math.Min(remaining.Length, _maxPayload);
                var flags = (byte)((i == 0 ? AeronProtocol.BeginFlag : 0) | (i == frameCount - 1 ? AeronProtocol.EndFlag : 0));
                var frameLength = payloadLength + AeronProtocol.DataHeaderLength;
                var alignedLength = AeronLogBuffer.Align(frameLength, AeronProtocol.FrameAlignment);
                var frame = term.Slice(termOffset, alignedLength);
                remaining[..payloadLength].CopyTo(frame[AeronProtocol.DataHeaderLength..]);
                frame[frameLength..].Clear();
                DataHeaderFlyweight.Encode(
                    frame, frameLength, flags, AeronFrameType.Data, termOffset, SessionId, StreamId, frameTermId, reservedValue);
                remaining = remaining[payloadLength..];
                termOffset += alignedLength;
            }

            // Release: the duty thread that reads this position sees the complete frames.
            Volatile.Write(ref _publicationPosition, position + required);
            Counters.Offered(message.Length);
        }

        _wakeup.Set();
        return AeronOfferResult.Success;
    }

    /// <summary>
    /// Stops offers, lets the duty thread send what is left and end-of-stream heartbeats until the receiver
    /// acknowledges the end (a status message with the EOS flag) or the close linger times out,
    /// then closes the socket. Blocks for at most about <see cref="AeronPublisherOptions.CloseLingerTimeout"/>.
    /// </summary>
    public void Dispose()
    {
        lock (_offerLock)
        {
            if (_closed)
            {
                return;
            }

            _closed = true;
        }

        _wakeup.Set();
        _thread.Join();
        _socket.Dispose();

        // _wakeup is not disposed: an offer racing with Dispose may still Set it (it holds no kernel handle).
    }

    private byte[] Term(long position) => _terms[AeronLogBuffer.PartitionIndex(position, _positionBitsToShift)];

    private void Run()
    {
        while (true)
        {
            _wakeup.Reset();
            var nowNs = MonotonicClock.NowNanoseconds;
            int work;
            try
            {
                work = ReceiveControlFrames(nowNs);
                work += DoDuty(nowNs);
                if (_closed && CloseFinished(nowNs))
                {
                    return;
                }
            }
            catch (Exception)
            {
                // A send or receive failed (socket error): the duty cycle must survive it.
                Counters.SendError();
                work = 0;
            }

            if (work == 0)
            {
                _wakeup.Wait(_idleWaitMs);
            }
        }
    }

    private int DoDuty(long nowNs)
    {
        var work = 0;
        ExpireReceivers(nowNs);
        if (_connected && (_receiverCount == 0 || nowNs - _lastStatusMessageNs >= _connectionTimeoutNs))
        {
            _connected = false;
        }

        if ((!_connected && nowNs - _lastSetupNs >= _setupIntervalNs) || _sendSetup)
        {
            SendSetup(nowNs);
            work++;
        }

        if (_connected)
        {
            work += SendData(nowNs);
            var endOfStreamDue = _closed && !_endOfStreamSent && _senderPosition >= Volatile.Read(ref _publicationPosition);
            if (endOfStreamDue || nowNs - _lastSendNs >= _heartbeatIntervalNs)
            {
                SendHeartbeat(nowNs);
                work++;
            }
        }

        return work;
    }

    private bool CloseFinished(long nowNs)
    {
        if (_closeDeadlineNs == 0)
        {
            _closeDeadlineNs = nowNs + _closeLingerNs;
        }

        return !_connected || _endOfStreamAcknowledged || nowNs - _closeDeadlineNs >= 0;
    }

    private int SendData(long nowNs)
    {
        var sent = 0;
        var publicationPosition = Volatile.Read(ref _publicationPosition);
        var senderPosition = _senderPosition;
        while (sent < MaxDatagramsPerCycle && senderPosition < publicationPosition)
        {
            var window = _senderLimit - senderPosition;
            if (window <= 0)
            {
                break;
            }

            var termOffset = (int)senderPosition & _termLengthMask;
            var term = Term(senderPosition);
            var length = Scan(term, termOffset, (int)Math.Min(window, Mtu), publicationPosition - senderPosition, out var padding);
            if (length == 0)
            {
                break;
            }

            if (Volatile.Read(ref _dropDataDatagrams) > 0 && Interlocked.Decrement(ref _dropDataDatagrams) >= 0)
            {
                // Test hook: lost on the way (the receivers see the gap and NAK it).
            }
            else
            {
                Send(term.AsSpan(termOffset, length));
            }

            Counters.DataSent(length);
            senderPosition += length + padding;
            Volatile.Write(ref _senderPosition, senderPosition);
            _lastSendNs = nowNs;
            sent++;
        }

        return sent;
    }

    /// <summary>
    /// Whole frames from <paramref name="termOffset"/> that fit in <paramref name="limit"/> bytes (C:
    /// aeron_term_scanner_scan_for_availability). A PAD ends the batch and travels as its 32-byte header only;
    /// <paramref name="padding"/> is the rest of it, which the sender position skips.
    /// </summary>
    private int Scan(byte[] term, int termOffset, int limit, long available, out int padding)
    {
        padding = 0;
        var length = 0;
        while (length < available && termOffset + length < TermLength)
        {
            var frame = term.AsSpan(termOffset + length);
            var frameLength = FrameHeaderFlyweight.ReadFrameLength(frame);
            if (frameLength <= 0)
            {
                break;
            }

            var alignedLength = AeronLogBuffer.Align(frameLength, AeronProtocol.FrameAlignment);
            var isPad = FrameHeaderFlyweight.ReadType(frame) == AeronFrameType.Pad;
            var wireLength = isPad ? AeronProtocol.DataHeaderLength : alignedLength;
            if (length + wireLength > limit)
            {
                break;
            }

            length += wireLength;
            if (isPad)
            {
                padding = alignedLength - AeronProtocol.DataHeaderLength;
                break;
            }
        }

        return length;
    }

    private void SendSetup(long nowNs)
    {
        var position = _senderPosition;
        var length = SetupFlyweight.Encode(
            _controlFrame,
            AeronLogBuffer.ComputeTermOffset(position, _positionBitsToShift),
            SessionId,
            StreamId,
            InitialTermId,
            AeronLogBuffer.ComputeTermId(position, _positionBitsToShift, InitialTermId),
            TermLength,
            Mtu);
        Send(_controlFrame.AsSpan(0, length));
        Counters.SetupSent();
        _lastSetupNs = nowNs;
        _sendSetup = false;
    }

    private void SendHeartbeat(long nowNs)
    {
        var position = _senderPosition;
        var flags = AeronProtocol.UnfragmentedFlags;
        if (_closed && position >= Volatile.Read(ref _publicationPosition))
        {
            flags |= AeronProtocol.EndOfStreamFlag;
            _endOfStreamSent = true;
        }

        DataHeaderFlyweight.Encode(
            _controlFrame,
            0,
            flags,
            AeronFrameType.Data,
            AeronLogBuffer.ComputeTermOffset(position, _positionBitsToShift),
            SessionId,
            StreamId,
            AeronLogBuffer.ComputeTermId(position, _positionBitsToShift, InitialTermId));
        Send(_controlFrame.AsSpan(0, AeronProtocol.DataHeaderLength));
        Counters.HeartbeatSent();
        _lastSendNs = nowNs;
    }

    private int ReceiveControlFrames(long nowNs)
    {
        var received = 0;
        while (received < MaxDatagramsPerCycle && _socket.Available > 0)
        {
            _controlSource.Size = _controlSourceCapacity;
            var length = _socket.ReceiveFrom(_receiveBuffer, SocketFlags.None, _controlSource);
            OnControlFrame(_receiveBuffer.AsSpan(0, length), nowNs);
            received++;
        }

        return received;
    }

    private void OnControlFrame(ReadOnlySpan<byte> frame, long nowNs)
    {
        if (frame.Length < AeronProtocol.FrameHeaderLength || FrameHeaderFlyweight.ReadVersion(frame) != AeronProtocol.CurrentVersion)
        {
            Counters.ControlFrameIgnored();
            return;
        }

        var type = FrameHeaderFlyweight.ReadType(frame);
        if (type == AeronFrameType.StatusMessage && frame.Length >= AeronProtocol.StatusMessageLength)
        {
            var sm = new StatusMessageFlyweight(frame);
            if (_kind == AeronChannelKind.Mdc)
            {
                // Dynamic MDC: whoever sends status messages to the control address is a destination, whatever the stream
                // (C: aeron_udp_destination_tracker_on_status_message, before any stream check; a real receiver with no
                // image asks with stream 0), until it says it is going away (EOS) or falls silent.
                if ((sm.Header.Flags & AeronProtocol.StatusMessageEndOfStreamFlag) == 0)
                {
                    TrackDestination(_controlSource, nowNs);
                }
                else
                {
                    RemoveDestination(_controlSource);
                }
            }

            OnStatusMessage(sm, nowNs);
        }
        else if (type == AeronFrameType.Nak && frame.Length >= AeronProtocol.NakLength)
        {
            OnNak(new NakFlyweight(frame), nowNs);
        }
        else
        {
            Counters.ControlFrameIgnored();
        }
    }

    private void OnStatusMessage(StatusMessageFlyweight sm, long nowNs)
    {
        var setupRequest = (sm.Header.Flags & AeronProtocol.SendSetupFlag) != 0;

        // Session 0 and stream 0: a real receiver with no image asks every publication on the endpoint for a SETUP
        // (C: aeron_send_channel_endpoint_on_status_message). Session 0 with our stream: older Edge receivers ask so.
        var anyPublicationSetupRequest = setupRequest && sm.SessionId == 0 && sm.StreamId == 0;
        var streamSetupRequest = setupRequest && sm.SessionId == 0 && sm.StreamId == StreamId && _kind == AeronChannelKind.Mdc;
        if (!anyPublicationSetupRequest && (sm.StreamId != StreamId || (sm.SessionId != SessionId && !streamSetupRequest)))
        {
            Counters.ControlFrameIgnored();
            return;
        }

        Counters.StatusMessageReceived();
        if (setupRequest)
        {
            // Only asks for a SETUP (a receiver that joined late); it does not connect.
            _sendSetup = true;
            return;
        }

        if ((sm.Header.Flags & AeronProtocol.StatusMessageEndOfStreamFlag) != 0)
        {
            // The receiver is going away (or acknowledges our end of stream): stop waiting for it at once.
            RemoveReceiver(sm.ReceiverId);
            if (_receiverCount == 0)
            {
                _endOfStreamAcknowledged = _closed;
                _connected = false;
            }

            return;
        }

        var position = AeronLogBuffer.ComputePosition(sm.ConsumptionTermId, sm.ConsumptionTermOffset, _positionBitsToShift, InitialTermId);
        if (!TrackReceiver(sm.ReceiverId, position + Math.Max(sm.ReceiverWindow, 0), nowNs))
        {
            Counters.ControlFrameIgnored();
            return;
        }

        _lastStatusMessageNs = nowNs;
        if (!_connected)
        {
            // Heartbeats start only now (C: after the first SM).
            _lastSendNs = nowNs - _heartbeatIntervalNs;
            _connected = true;
        }
    }

    /// <summary>Records a receiver's latest limit (position + window) and moves the send limit by the flow control; false if full.</summary>
    private bool TrackReceiver(long receiverId, long limit, long nowNs)
    {
        var index = Array.IndexOf(_receiverIds, receiverId, 0, _receiverCount);
        if (index < 0)
        {
            if (_receiverCount == _receiverIds.Length)
            {
                return false;
            }

            index = _receiverCount;
            _receiverIds[index] = receiverId;
            Volatile.Write(ref _receiverCount, _receiverCount + 1);
        }

        _receiverLimits[index] = limit;
        _receiverSeenNs[index] = nowNs;
        if (_flowControl == AeronFlowControl.Max)
        {
            // The fastest receiver sets the pace (as before, and as Aeron's default): the limit only grows.
            _senderLimit = Math.Max(_senderLimit, limit);
        }
        else
        {
            _senderLimit = MinReceiverLimit();
        }

        return true;
    }

    private long MinReceiverLimit()
    {
        var min = long.MaxValue;
        for (var i = 0; i < _receiverCount; i++)
        {
            min = Math.Min(min, _receiverLimits[i]);
        }

        return _receiverCount == 0 ? _senderLimit : min;
    }

    private void RemoveReceiver(long receiverId)
    {
        var index = Array.IndexOf(_receiverIds, receiverId, 0, _receiverCount);
        if (index >= 0)
        {
            RemoveReceiverAt(index);
        }
    }

    private void RemoveReceiverAt(int index)
    {
        var last = _receiverCount - 1;
        _receiverIds[index] = _receiverIds[last];
        _receiverLimits[index] = _receiverLimits[last];
        _receiverSeenNs[index] = _receiverSeenNs[last];
        Volatile.Write(ref _receiverCount, last);
        if (_flowControl == AeronFlowControl.Min)
        {
            // The slowest may have gone: the others set the pace now.
            _senderLimit = MinReceiverLimit();
        }
    }

    /// <summary>Receivers silent for the receiver timeout no longer count (for min flow control they stop holding it back); MDC destinations too.</summary>
    private void ExpireReceivers(long nowNs)
    {
        for (var i = _receiverCount - 1; i >= 0; i--)
        {
            if (nowNs - _receiverSeenNs[i] >= _receiverTimeoutNs)
            {
                RemoveReceiverAt(i);
                Counters.ReceiverTimedOut();
            }
        }

        for (var i = _destinationCount - 1; i >= 0; i--)
        {
            if (nowNs - _destinationSeenNs[i] >= _destinationTimeoutNs)
            {
                RemoveDestinationAt(i);
            }
        }
    }

    private void RemoveDestination(SocketAddress source)
    {
        for (var i = 0; i < _destinationCount; i++)
        {
            if (_destinations[i].Equals(source))
            {
                RemoveDestinationAt(i);
                return;
            }
        }
    }

    private void RemoveDestinationAt(int index)
    {
        var last = _destinationCount - 1;
        (_destinations[index], _destinations[last]) = (_destinations[last], _destinations[index]);
        _destinationSeenNs[index] = _destinationSeenNs[last];
        Volatile.Write(ref _destinationCount, last);
    }

    private void TrackDestination(SocketAddress source, long nowNs)
    {
        for (var i = 0; i < _destinationCount; i++)
        {
            if (_destinations[i].Equals(source))
            {
                _destinationSeenNs[i] = nowNs;
                return;
            }
        }

        if (_destinationCount == _destinations.Length || source.Size > _destinations[_destinationCount].Buffer.Length)
        {
            return;
        }

        var added = _destinations[_destinationCount];
        source.Buffer.Span[..source.Size].CopyTo(added.Buffer.Span);
        added.Size = source.Size;
        _destinationSeenNs[_destinationCount] = nowNs;
        Volatile.Write(ref _destinationCount, _destinationCount + 1);

        // A new destination needs a SETUP to make its image (it would ask for one on our DATA anyway).
        _sendSetup = true;
    }

    private void OnNak(NakFlyweight nak, long nowNs)
    {
        if (nak.SessionId != SessionId || nak.StreamId != StreamId)
        {
            Counters.ControlFrameIgnored();
            return;
        }

        Counters.NakReceived();
        var termOffset = nak.TermOffset;
        var length = nak.Length;
        if (termOffset < 0 || termOffset >= TermLength || (termOffset & (AeronProtocol.FrameAlignment - 1)) != 0 || length <= 0)
        {
            return;
        }

        var position = AeronLogBuffer.ComputePosition(nak.TermId, termOffset, _positionBitsToShift, InitialTermId);
        var senderPosition = _senderPosition;
        if (position < 0 || position >= senderPosition || senderPosition - position > (TermLength / 2) + MaxMessageLength)
        {
            return;
        }

        for (var i = 0; i < RetransmitSlots; i++)
        {
            if (_retransmitPositions[i] == position && nowNs - _retransmitTimes[i] < _retransmitLingerNs)
            {
                return;
            }
        }

        _retransmitPositions[_nextRetransmitSlot] = position;
        _retransmitTimes[_nextRetransmitSlot] = nowNs;
        _nextRetransmitSlot = (_nextRetransmitSlot + 1) % RetransmitSlots;

        var end = Math.Min(Math.Min(position + length, senderPosition), position - termOffset + TermLength);
        var term = Term(position);
        var termId = nak.TermId;
        while (position < end)
        {
            var offset = (int)position & _termLengthMask;
            var frame = term.AsSpan(offset);
            if (DataHeaderFlyweight.ReadTermOffset(frame) != offset || DataHeaderFlyweight.ReadTermId(frame) != termId)
            {
                // Not the start of a frame we wrote: a NAK from a confused or hostile peer.
                Counters.ControlFrameIgnored();
                return;
            }

            var batch = Scan(term, offset, Mtu, end - position, out var padding);
            if (batch == 0)
            {
                return;
            }

            if (Volatile.Read(ref _dropRetransmits) <= 0 || Interlocked.Decrement(ref _dropRetransmits) < 0)
            {
                Send(term.AsSpan(offset, batch));
            }

            Counters.RetransmitSent();
            position += batch + padding;
        }
    }

    private void Send(ReadOnlySpan<byte> datagram)
    {
        if (_kind != AeronChannelKind.Mdc)
        {
            SendTo(datagram, _destination);
            return;
        }

        for (var i = 0; i < _destinationCount; i++)
        {
            SendTo(datagram, _destinations[i]);
        }
    }

    private void SendTo(ReadOnlySpan<byte> datagram, SocketAddress destination)
    {
        try
        {
            _socket.SendTo(datagram, SocketFlags.None, destination);
        }
        catch (SocketException)
        {
            Counters.SendError();
        }
    }
}
