using System.Net;
using Edge.Protocol.Aeron;

namespace Edge.Ingest.Aeron;

/// <summary>
/// The receiver's protocol logic without the socket (C: aeron_data_packet_dispatcher plus the image duties):
/// takes datagrams, keeps the images, delivers messages, and runs the timers (status messages, NAKs, liveness).
/// Single-threaded: only the receive thread calls it (or a benchmark/test that owns it).
/// </summary>
internal sealed class AeronDataPacketDispatcher<THandler>
    where THandler : IAeronMessageHandler
{
    private const int SetupRequestSlots = 64;
    private const int MaxSetupRequestsPerSecond = 64;
    private const int LingerStatusMessagePeriods = 5;
    private const long NanosPerSecond = 1_000_000_000;

    private readonly int _streamId;
    private readonly int _maxImages;
    private readonly int _receiverWindowLength;
    private readonly int _maxMessageLength;
    private readonly long _statusMessageIntervalNs;
    private readonly long _nakDelayNs;
    private readonly long _nakRetryNs;
    private readonly long _livenessTimeoutNs;
    private readonly long _pendingTimeoutNs;
    private readonly long _setupRequestIntervalNs;
    private readonly long _pollTimeoutNs;
    private readonly AeronChannelKind _kind;
    private readonly SocketAddress? _control;
    private readonly long _multicastNakBackoffNs;
    private long _nextPendingSetupNs;
    private readonly AeronControlSender _sender;
    private readonly AeronReceiverCounters _counters;
    private readonly Action<Exception>? _errorHandler;

    private readonly AeronImage?[] _images;
    private readonly AeronSetupRefusalLimiter _refusals;

    private readonly int[] _setupRequestSessionIds = new int[SetupRequestSlots];
    private readonly SocketAddress[] _setupRequestSources = new SocketAddress[SetupRequestSlots];
    private readonly long[] _setupRequestTimes = new long[SetupRequestSlots];
    private readonly bool[] _setupRequestUsed = new bool[SetupRequestSlots];
    private long _setupRequestWindowStartNs = long.MinValue;
    private int _setupRequestsInWindow;

    private THandler _handler;
    private int _imageCount;
    private int _activeImageCount;
    private long _lastImageId;

    public AeronDataPacketDispatcher(
        AeronReceiverOptions options,
        THandler handler,
        IAeronControlTransport transport,
        AeronReceiverCounters counters,
        long receiverId,
        Action<Exception>? errorHandler)
    {
        _streamId = options.StreamId;
        _maxImages = options.MaxImages;
        _receiverWindowLength = options.ReceiverWindowLength;
        _maxMessageLength = options.MaxMessageLength;
        _statusMessageIntervalNs = MonotonicClock.ToNanoseconds(options.StatusMessageInterval);
        _nakDelayNs = MonotonicClock.ToNanoseconds(options.NakDelay);
        _nakRetryNs = MonotonicClock.ToNanoseconds(options.NakRetryInterval);
        _livenessTimeoutNs = MonotonicClock.ToNanoseconds(options.ImageLivenessTimeout);
        _pendingTimeoutNs = MonotonicClock.ToNanoseconds(options.PendingImageTimeout);
        _setupRequestIntervalNs = MonotonicClock.ToNanoseconds(options.SetupRequestInterval);
        _pollTimeoutNs = MonotonicClock.ToNanoseconds(options.PollTimeout);
        _kind = options.Kind;
        _control = options.Kind switch
        {
            AeronChannelKind.Multicast => AeronChannel.ControlGroupOf(options.Endpoint).Serialize(),
            AeronChannelKind.Mdc => options.Control!.Serialize(),
            _ => null,
        };
        _multicastNakBackoffNs = MonotonicClock.ToNanoseconds(options.MulticastNakBackoff);
        _handler = handler;
        _sender = new AeronControlSender(transport, counters, receiverId);
        _counters = counters;
        _errorHandler = errorHandler;
        _images = new AeronImage?[options.MaxImages];
        _refusals = new AeronSetupRefusalLimiter(
            MonotonicClock.ToNanoseconds(options.SetupRefusalReportInterval), options.Endpoint.AddressFamily);
        for (var i = 0; i < SetupRequestSlots; i++)
        {
            _setupRequestSources[i] = new SocketAddress(options.Endpoint.AddressFamily);
        }
    }

    public int ActiveImageCount => _activeImageCount;

    public int ImageCount => _imageCount;

    /// <summary>Handles one received datagram from <paramref name="source"/>. Never throws for bad input.</summary>
    public void OnDatagram(ReadOnlySpan<byte> datagram, SocketAddress source, long nowNs)
    {
        _counters.Datagram(datagram.Length);
        if (datagram.Length < AeronProtocol.FrameHeaderLength)
        {
            _counters.Drop(AeronDropReason.TooShort);
            return;
        }

        if (FrameHeaderFlyweight.ReadVersion(datagram) != AeronProtocol.CurrentVersion)
        {
            _counters.Drop(AeronDropReason.UnsupportedVersion);
            return;
        }

        switch (FrameHeaderFlyweight.ReadType(datagram))
        {
            case AeronFrameType.Data:
            case AeronFrameType.Pad:
                if (datagram.Length < AeronProtocol.DataHeaderLength)
                {
                    _counters.Drop(AeronDropReason.TooShort);
                }
                else
                {
                    OnDataFrame(datagram, source, nowNs);
                }

                break;
            case AeronFrameType.Setup:
                if (datagram.Length < AeronProtocol.SetupLength)
                {
                    _counters.Drop(AeronDropReason.TooShort);
                }
                else
                {
                    OnSetup(new SetupFlyweight(datagram), source, nowNs);
                }

                break;
            case AeronFrameType.RttMeasurement:
                if (datagram.Length < AeronProtocol.RttMeasurementLength)
                {
                    _counters.Drop(AeronDropReason.TooShort);
                }
                else
                {
                    OnRttMeasurement(new RttMeasurementFlyweight(datagram), source);
                }

                break;
            case AeronFrameType.Nak when _kind == AeronChannelKind.Multicast:
                if (datagram.Length >= AeronProtocol.NakLength)
                {
                    OnPeerNak(new NakFlyweight(datagram), nowNs);
                }

                _counters.Drop(AeronDropReason.PeerControlFrame);
                break;
            case AeronFrameType.StatusMessage when _kind == AeronChannelKind.Multicast:
                _counters.Drop(AeronDropReason.PeerControlFrame);
                break;
            default:
                _counters.Drop(AeronDropReason.UnhandledFrameType);
                break;
        }
    }

    /// <summary>
    /// Another receiver's NAK on the control group (it comes from that receiver, not the publisher, so the image is
    /// found by session alone): the image holds back its own NAK for the same gap.
    /// </summary>
    private void OnPeerNak(NakFlyweight nak, long nowNs)
    {
        if (nak.StreamId != _streamId)
        {
            return;
        }

        for (var i = 0; i < _imageCount; i++)
        {
            var image = _images[i]!;
            if (image.SessionId == nak.SessionId && image.State == AeronImageState.Active)
            {
                image.OnPeerNak(nak.TermId, nak.TermOffset, nak.Length, nowNs, _nakRetryNs);
            }
        }
    }

    /// <summary>
    /// When the next timer falls due (at most one poll timeout after the last <see cref="OnTimers"/>), so the caller
    /// can block until then.
    /// </summary>
    public long NextTimerNs { get; private set; }

    /// <summary>
    /// The image duties (expiry, status messages, NAKs) for every image, and MDC's SETUP requests while it has none.
    /// Returns the work done (images removed, frames sent); <see cref="NextTimerNs"/> says when to come back.
    /// </summary>
    public int OnTimers(long nowNs)
    {
        var workCount = 0;
        var next = nowNs + _pollTimeoutNs;
        for (var i = _imageCount - 1; i >= 0; i--)
        {
            var image = _images[i]!;
            var expiry = image.CheckExpiry(nowNs, _pendingTimeoutNs, _livenessTimeoutNs);
            if (expiry != AeronImageExpiry.None)
            {
                workCount += Expire(i, expiry);
                continue;
            }

            workCount += image.SendPendingStatusMessage(nowNs, _sender);
            workCount += image.ProcessPendingLoss(nowNs, NakDelayNs(), _nakRetryNs, _sender, _counters);
            next = Math.Min(next, image.NextTimerNs(_pendingTimeoutNs, _livenessTimeoutNs));
        }

        if (_kind == AeronChannelKind.Mdc && _activeImageCount == 0)
        {
            workCount += ElicitSetup(nowNs);
            next = Math.Min(next, _nextPendingSetupNs);
        }

        NextTimerNs = next;
        return workCount;
    }

    /// <summary>Multicast: a random first delay, so that one receiver NAKs first and the others hear it and hold back.</summary>
    private long NakDelayNs() => _kind == AeronChannelKind.Multicast ? Random.Shared.NextInt64(_multicastNakBackoffNs + 1) : _nakDelayNs;

    /// <summary>Removes the image at <paramref name="index"/> whose time is up; an active one is ended first. Returns the work done (1).</summary>
    private int Expire(int index, AeronImageExpiry expiry)
    {
        var image = _images[index]!;
        if (expiry == AeronImageExpiry.PendingTimedOut)
        {
            _counters.PendingImageExpired();
            image.ReleaseBuffers();
        }
        else if (expiry == AeronImageExpiry.LivenessTimedOut)
        {
            _counters.ImageTimedOut();
            EndImage(image, AeronImageEndReason.LivenessTimeout);
        }

        RemoveAt(index);
        return 1;
    }

    /// <summary>
    /// Dynamic MDC with no image: a SETUP-eliciting status message (session 0) to the publisher's control address every
    /// setup-request interval (C: the receiver's pending setups). It makes the publisher add us as a destination.
    /// Returns the work done (1 if it sent).
    /// </summary>
    private int ElicitSetup(long nowNs)
    {
        if (nowNs - _nextPendingSetupNs < 0 && _nextPendingSetupNs != 0)
        {
            return 0;
        }

        _nextPendingSetupNs = nowNs + _setupRequestIntervalNs;
        // Stream 0 too: a real publisher sends SETUP only for session 0 AND stream 0 (C: aeron_send_channel_endpoint_on_status_message).
        _sender.SendSetupRequest(_control!, 0, 0);
        return 1;
    }

    /// <summary>The receiver has taken a whole receive batch: tells the handler (its exceptions count as handler errors).</summary>
    public void OnBatchEnd()
    {
        try
        {
            _handler.OnBatchEnd();
        }
        catch (Exception e)
        {
            _counters.HandlerError();
            ErrorCallback.Report(_errorHandler, e);
        }
    }

    /// <summary>
    /// The receiver is going away: an EOS status message to every publisher (so it stops at once instead of after
    /// its connection timeout), then image-unavailable and feed-down to the handler.
    /// </summary>
    public void Close(long nowNs)
    {
        for (var i = _imageCount - 1; i >= 0; i--)
        {
            var image = _images[i]!;
            if (image.State != AeronImageState.Lingering)
            {
                image.SendStatusMessage(nowNs, AeronProtocol.StatusMessageEndOfStreamFlag, _sender);
                if (image.State == AeronImageState.Active)
                {
                    EndImage(image, AeronImageEndReason.ReceiverClosed);
                }
                else
                {
                    image.ReleaseBuffers();
                }
            }

            RemoveAt(i);
        }
    }

    private void OnDataFrame(ReadOnlySpan<byte> datagram, SocketAddress source, long nowNs)
    {
        var header = new DataHeaderFlyweight(datagram);
        if (header.StreamId != _streamId)
        {
            _counters.Drop(AeronDropReason.OtherStream);
            return;
        }

        var flags = header.Header.Flags;
        var image = Find(header.SessionId, source);
        if (image is null)
        {
            _counters.Drop(AeronDropReason.UnknownSession);
            if ((flags & AeronProtocol.EndOfStreamFlag) == 0)
            {
                RequestSetup(header.SessionId, source, nowNs);
            }

            return;
        }

        if (image.State == AeronImageState.Lingering)
        {
            _counters.Drop(AeronDropReason.ImageClosed);
            if ((flags & AeronProtocol.EndOfStreamFlag) != 0)
            {
                // The sender still sends EOS heartbeats: it missed our EOS status message, so repeat it.
                image.RequestStatusMessage();
            }

            return;
        }

        var termOffset = header.TermOffset;
        if (termOffset < 0 || termOffset >= image.TermLength || (termOffset & (AeronProtocol.FrameAlignment - 1)) != 0)
        {
            _counters.Drop(AeronDropReason.BadTermOffset);
            return;
        }

        if (header.IsHeartbeat)
        {
            if (image.OnHeartbeat(header.TermId, termOffset, (flags & AeronProtocol.EndOfStreamFlag) != 0, _counters))
            {
                _counters.Heartbeat();
                image.RecordPacket(nowNs);
                Activate(image);
                CheckEndOfStream(image, nowNs);
            }

            CheckStreamInDoubt(image, nowNs);
            return;
        }

        if (image.OnData(datagram, header.TermId, termOffset, _counters))
        {
            image.RecordPacket(nowNs);
            Activate(image);
        }

        if (image.State == AeronImageState.Active)
        {
            image.Drain(ref _handler, _counters, _errorHandler);
            CheckEndOfStream(image, nowNs);
        }

        CheckStreamInDoubt(image, nowNs);
    }

    /// <summary>
    /// A frame that cannot belong to the image's stream (see <see cref="AeronImage.StreamInDoubt"/>): ask the sender for
    /// a SETUP (rate-limited like any request). The old publisher answers with its own stream and nothing changes; a
    /// restarted one answers with its new stream, and <see cref="OnSetup"/> switches to it.
    /// </summary>
    private void CheckStreamInDoubt(AeronImage image, long nowNs)
    {
        if (image.TakeStreamInDoubt())
        {
            RequestSetup(image.SessionId, image.Source, nowNs);
        }
    }

    private void OnSetup(SetupFlyweight setup, SocketAddress source, long nowNs)
    {
        if (setup.StreamId != _streamId)
        {
            _counters.Drop(AeronDropReason.OtherStream);
            return;
        }

        _counters.Setup();
        var termLength = setup.TermLength;
        var mtu = setup.Mtu;
        var termOffset = setup.TermOffset;
        var invalid = Validate(termLength, mtu, termOffset);
        if (invalid is { } reason)
        {
            _counters.Drop(AeronDropReason.InvalidSetup);
            ReportRefusal(reason, setup, source, nowNs);
            return;
        }

        var index = IndexOf(setup.SessionId, source);
        if (index >= 0)
        {
            var held = _images[index]!;
            if (!IsNewStream(held, setup))
            {
                // A SETUP for an image we hold only refreshes the connection: the sender has not seen our SM yet.
                if (held.State != AeronImageState.Lingering)
                {
                    held.RequestStatusMessage();
                }

                return;
            }

            // The publisher restarted with the same session id and address: its old stream is over.
            Replace(index);
        }

        if (_imageCount >= _maxImages)
        {
            _counters.Drop(AeronDropReason.ImageLimitReached);
            ReportRefusal(AeronSetupRefusalReason.ImageLimitReached, setup, source, nowNs);
            return;
        }

        var sourceCopy = new SocketAddress(source.Family, source.Size);
        source.Buffer.Span[..source.Size].CopyTo(sourceCopy.Buffer.Span);
        var image = new AeronImage(
            ++_lastImageId,
            setup.SessionId,
            _streamId,
            sourceCopy,
            _control ?? sourceCopy,
            setup.InitialTermId,
            setup.ActiveTermId,
            termOffset,
            termLength,
            mtu,
            ReceiverWindowFor(termLength),
            _maxMessageLength,
            _statusMessageIntervalNs,
            nowNs);
        _images[_imageCount++] = image;
        _counters.ImageCreated();
        _counters.SetImages(_imageCount);

        // The first status message goes at once (C: its deadline is 0): it is what connects the sender.
        image.SendStatusMessage(nowNs, 0, _sender);
    }

    private void OnRttMeasurement(RttMeasurementFlyweight rttm, SocketAddress source)
    {
        if (rttm.StreamId != _streamId)
        {
            _counters.Drop(AeronDropReason.OtherStream);
            return;
        }

        if ((rttm.Header.Flags & AeronProtocol.RttmReplyFlag) == 0)
        {
            return;
        }

        var image = Find(rttm.SessionId, source);
        if (image is null || image.State == AeronImageState.Lingering)
        {
            _counters.Drop(AeronDropReason.UnknownSession);
            return;
        }

        _sender.SendRttmReply(image.Control, image.SessionId, image.StreamId, rttm.EchoTimestamp);
    }

    /// <summary>The image's window, as the C driver's: min(configured window, term length / 2).</summary>
    private int ReceiverWindowFor(int termLength) => Math.Min(_receiverWindowLength, termLength / 2);

    /// <summary>
    /// What the C driver refuses: a bad term length or offset, a bad MTU, or an MTU above the configured window. The
    /// MTU is checked against the configured window, not the one clamped to term length / 2 (so 64 KiB terms with
    /// the largest MTU are accepted); frames never exceed the clamped window anyway, since a message is at most term/8.
    /// </summary>
    private AeronSetupRefusalReason? Validate(int termLength, int mtu, int termOffset)
    {
        if (!AeronLogBuffer.IsValidTermLength(termLength))
        {
            return AeronSetupRefusalReason.InvalidTermLength;
        }

        if (!AeronLogBuffer.IsValidMtu(mtu))
        {
            return AeronSetupRefusalReason.InvalidMtu;
        }

        if (mtu > _receiverWindowLength)
        {
            return AeronSetupRefusalReason.MtuAboveReceiverWindow;
        }

        if (termOffset < 0 || termOffset >= termLength || (termOffset & (AeronProtocol.FrameAlignment - 1)) != 0)
        {
            return AeronSetupRefusalReason.InvalidTermOffset;
        }

        return null;
    }

    /// <summary>
    /// Whether a valid SETUP for a held image's session and source describes another stream: the publisher restarted.
    /// A publication's initial term id, term length and MTU never change, and its SETUP carries its send position, which
    /// is never behind what it has sent us.
    /// </summary>
    private static bool IsNewStream(AeronImage image, SetupFlyweight setup) =>
        setup.InitialTermId != image.InitialTermId
        || setup.TermLength != image.TermLength
        || setup.Mtu != image.Mtu
        || AeronLogBuffer.ComputePosition(setup.ActiveTermId, setup.TermOffset, image.PositionBitsToShift, image.InitialTermId)
            < image.ConsumedPosition;

    /// <summary>
    /// Ends the image at <paramref name="index"/> for a new stream of the same publisher: the handler hears it is gone
    /// (and the feed down if it was the last), no EOS status message (it would reach the new publication).
    /// </summary>
    private void Replace(int index)
    {
        var image = _images[index]!;
        if (image.State == AeronImageState.Active)
        {
            _counters.ImageReplaced();
            EndImage(image, AeronImageEndReason.PublisherRestarted);
        }
        else
        {
            // Pending (never reported) or lingering (already ended): it just makes room.
            image.ReleaseBuffers();
        }

        RemoveAt(index);
    }

    /// <summary>Tells the handler of a refused SETUP, unless this source was told of one lately (it is counted either way).</summary>
    private void ReportRefusal(AeronSetupRefusalReason reason, SetupFlyweight setup, SocketAddress source, long nowNs)
    {
        if (!_refusals.ShouldReport(source, nowNs, out var suppressed))
        {
            return;
        }

        _counters.SetupRefusalReported();
        var refusal = new AeronSetupRefusal(
            reason,
            ToEndPoint(source),
            setup.SessionId,
            setup.StreamId,
            setup.TermLength,
            setup.Mtu,
            setup.TermOffset,
            _receiverWindowLength,
            suppressed);
        try
        {
            _handler.OnSetupRefused(refusal);
        }
        catch (Exception e)
        {
            HandlerFailed(e);
        }
    }

    private AeronImage? Find(int sessionId, SocketAddress source)
    {
        var index = IndexOf(sessionId, source);
        return index < 0 ? null : _images[index];
    }

    private int IndexOf(int sessionId, SocketAddress source)
    {
        for (var i = 0; i < _imageCount; i++)
        {
            var image = _images[i]!;
            if (image.SessionId == sessionId && image.Source.Equals(source))
            {
                return i;
            }
        }

        return -1;
    }

    private void RemoveAt(int index)
    {
        _imageCount--;
        _images[index] = _images[_imageCount];
        _images[_imageCount] = null;
        _counters.SetImages(_imageCount);
    }

    private void Activate(AeronImage image)
    {
        if (image.State != AeronImageState.Pending)
        {
            return;
        }

        image.Activate(image.Info ?? new AeronImageInfo(
            image.ImageId,
            image.SessionId,
            image.StreamId,
            ToEndPoint(image.Source),
            image.InitialTermId,
            image.TermLength,
            image.Mtu,
            image.JoinPosition,
            _kind));
        _activeImageCount++;
        _counters.SetActiveImages(_activeImageCount);
        _counters.AddLiveImage(image.Info);
        try
        {
            _handler.OnImageAvailable(image.Info);
        }
        catch (Exception e)
        {
            HandlerFailed(e);
        }

        if (_activeImageCount == 1)
        {
            try
            {
                _handler.OnFeedUp();
            }
            catch (Exception e)
            {
                HandlerFailed(e);
            }
        }
    }

    private static IPEndPoint ToEndPoint(SocketAddress address)
    {
        var family = address.Family == System.Net.Sockets.AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any;
        return (IPEndPoint)new IPEndPoint(family, 0).Create(address);
    }

    private void CheckEndOfStream(AeronImage image, long nowNs)
    {
        if (image.State != AeronImageState.Active || !image.EndOfStreamReached)
        {
            return;
        }

        _counters.ImageEndOfStream();
        EndImage(image, AeronImageEndReason.EndOfStream);
        image.LingerUntil(nowNs + (LingerStatusMessagePeriods * _statusMessageIntervalNs));
        image.SendStatusMessage(nowNs, AeronProtocol.StatusMessageEndOfStreamFlag, _sender);
    }

    /// <summary>Frees the image's buffers and tells the handler, if it had been told the image existed.</summary>
    private void EndImage(AeronImage image, AeronImageEndReason reason)
    {
        var wasActive = image.State == AeronImageState.Active;
        var position = image.ConsumedPosition;
        image.End();
        if (!wasActive)
        {
            return;
        }

        _activeImageCount--;
        _counters.SetActiveImages(_activeImageCount);
        _counters.RemoveLiveImage(image.Info!);
        try
        {
            _handler.OnImageUnavailable(image.Info!, reason, position);
        }
        catch (Exception e)
        {
            HandlerFailed(e);
        }

        if (_activeImageCount == 0)
        {
            try
            {
                _handler.OnFeedDown();
            }
            catch (Exception e)
            {
                HandlerFailed(e);
            }
        }
    }

    /// <summary>
    /// DATA from a session we hold no image for: ask its sender for a SETUP (SM with the send-setup flag), at most
    /// once per interval per (session, source) and at most 64 a second in all, so garbage cannot make us chatty.
    /// </summary>
    private void RequestSetup(int sessionId, SocketAddress source, long nowNs)
    {
        var slot = -1;
        var oldest = 0;
        for (var i = 0; i < SetupRequestSlots; i++)
        {
            if (!_setupRequestUsed[i])
            {
                if (slot < 0)
                {
                    slot = i;
                }

                continue;
            }

            if (_setupRequestSessionIds[i] == sessionId && _setupRequestSources[i].Equals(source))
            {
                if (nowNs - _setupRequestTimes[i] < _setupRequestIntervalNs)
                {
                    return;
                }

                slot = i;
                break;
            }

            if (_setupRequestTimes[i] < _setupRequestTimes[oldest] || !_setupRequestUsed[oldest])
            {
                oldest = i;
            }
        }

        if (nowNs - _setupRequestWindowStartNs >= NanosPerSecond)
        {
            _setupRequestWindowStartNs = nowNs;
            _setupRequestsInWindow = 0;
        }

        if (_setupRequestsInWindow >= MaxSetupRequestsPerSecond)
        {
            _counters.Drop(AeronDropReason.SetupRequestRateLimited);
            return;
        }

        _setupRequestsInWindow++;
        if (slot < 0)
        {
            slot = oldest;
        }

        var remembered = _setupRequestSources[slot];
        if (source.Size > remembered.Buffer.Length)
        {
            return;
        }

        source.Buffer.Span[..source.Size].CopyTo(remembered.Buffer.Span);
        remembered.Size = source.Size;
        _setupRequestSessionIds[slot] = sessionId;
        _setupRequestTimes[slot] = nowNs;
        _setupRequestUsed[slot] = true;

        _sender.SendSetupRequest(_control ?? source, sessionId, _streamId);
    }

    private void HandlerFailed(Exception e)
    {
        _counters.HandlerError();
        ErrorCallback.Report(_errorHandler, e);
    }
}
