using System.Net;
using Edge.Protocol.Aeron;

namespace Edge.Ingest.Aeron;

/// <summary>
/// Writes the receiver's control frames (status messages, NAKs, RTTM replies, SETUP requests) into one scratch buffer
/// and sends them, counting each one sent and each failed send (C: the receive channel endpoint's send functions).
/// Used only by the receive thread.
/// </summary>
internal sealed class AeronControlSender
{
    private readonly IAeronControlTransport _transport;
    private readonly AeronReceiverCounters _counters;
    private readonly long _receiverId;
    private readonly byte[] _frame = new byte[64];

    public AeronControlSender(IAeronControlTransport transport, AeronReceiverCounters counters, long receiverId)
    {
        _transport = transport;
        _counters = counters;
        _receiverId = receiverId;
    }

    /// <summary>A status message: how far this receiver has consumed, and its window.</summary>
    public void SendStatusMessage(
        SocketAddress destination, byte flags, int sessionId, int streamId, int termId, int termOffset, int receiverWindow)
    {
        var length = StatusMessageFlyweight.Encode(_frame, flags, sessionId, streamId, termId, termOffset, receiverWindow, _receiverId);
        if (Send(length, destination))
        {
            _counters.StatusMessageSent();
        }
    }

    /// <summary>A NAK for <paramref name="length"/> bytes at <paramref name="termId"/>/<paramref name="termOffset"/>; true if it went.</summary>
    public bool SendNak(SocketAddress destination, int sessionId, int streamId, int termId, int termOffset, int length)
    {
        var frameLength = NakFlyweight.Encode(_frame, sessionId, streamId, termId, termOffset, length);
        if (!Send(frameLength, destination))
        {
            return false;
        }

        _counters.NakSent();
        return true;
    }

    /// <summary>The reply to a publisher's RTT measurement: its timestamp echoed, no reception delta.</summary>
    public void SendRttmReply(SocketAddress destination, int sessionId, int streamId, long echoTimestamp)
    {
        var length = RttMeasurementFlyweight.Encode(_frame, 0, sessionId, streamId, echoTimestamp, 0, _receiverId);
        if (Send(length, destination))
        {
            _counters.RttmReplySent();
        }
    }

    /// <summary>A status message with the send-setup flag: asks the publisher for a SETUP.</summary>
    public void SendSetupRequest(SocketAddress destination, int sessionId, int streamId)
    {
        var length = StatusMessageFlyweight.Encode(_frame, AeronProtocol.SendSetupFlag, sessionId, streamId, 0, 0, 0, _receiverId);
        if (Send(length, destination))
        {
            _counters.SetupRequestSent();
        }
    }

    private bool Send(int length, SocketAddress destination)
    {
        if (_transport.Send(_frame.AsSpan(0, length), destination))
        {
            return true;
        }

        _counters.SendError();
        return false;
    }
}
