namespace Edge.Ingest.Aeron;

/// <summary>
/// The publisher's counters, readable from any thread. Offer-side counts are written under the offer lock,
/// the others by the duty thread only.
/// </summary>
public sealed class AeronPublisherCounters
{
    private long _messagesOffered;
    private long _bytesOffered;
    private long _backPressured;
    private long _notConnected;
    private long _dataDatagramsSent;
    private long _dataBytesSent;
    private long _setupsSent;
    private long _heartbeatsSent;
    private long _statusMessagesReceived;
    private long _naksReceived;
    private long _retransmitDatagramsSent;
    private long _controlFramesIgnored;
    private long _sendErrors;
    private long _receiversTimedOut;

    public long MessagesOffered => Volatile.Read(ref _messagesOffered);

    public long BytesOffered => Volatile.Read(ref _bytesOffered);

    public long BackPressured => Volatile.Read(ref _backPressured);

    public long NotConnected => Volatile.Read(ref _notConnected);

    public long DataDatagramsSent => Volatile.Read(ref _dataDatagramsSent);

    public long DataBytesSent => Volatile.Read(ref _dataBytesSent);

    public long SetupsSent => Volatile.Read(ref _setupsSent);

    public long HeartbeatsSent => Volatile.Read(ref _heartbeatsSent);

    public long StatusMessagesReceived => Volatile.Read(ref _statusMessagesReceived);

    public long NaksReceived => Volatile.Read(ref _naksReceived);

    public long RetransmitDatagramsSent => Volatile.Read(ref _retransmitDatagramsSent);

    /// <summary>Control frames that were malformed or for another session/stream.</summary>
    public long ControlFramesIgnored => Volatile.Read(ref _controlFramesIgnored);

    public long SendErrors => Volatile.Read(ref _sendErrors);

    /// <summary>Receivers dropped after no status message for the receiver timeout (with fc=min, they stop holding the publication back).</summary>
    public long ReceiversTimedOut => Volatile.Read(ref _receiversTimedOut);

    internal void Offered(int length)
    {
        Bump(ref _messagesOffered);
        Volatile.Write(ref _bytesOffered, _bytesOffered + length);
    }

    internal void BackPressure() => Bump(ref _backPressured);

    internal void NotConnectedOffer() => Bump(ref _notConnected);

    internal void DataSent(int length)
    {
        Bump(ref _dataDatagramsSent);
        Volatile.Write(ref _dataBytesSent, _dataBytesSent + length);
    }

    internal void SetupSent() => Bump(ref _setupsSent);

    internal void HeartbeatSent() => Bump(ref _heartbeatsSent);

    internal void StatusMessageReceived() => Bump(ref _statusMessagesReceived);

    internal void NakReceived() => Bump(ref _naksReceived);

    internal void RetransmitSent() => Bump(ref _retransmitDatagramsSent);

    internal void ControlFrameIgnored() => Bump(ref _controlFramesIgnored);

    internal void SendError() => Bump(ref _sendErrors);

    internal void ReceiverTimedOut() => Bump(ref _receiversTimedOut);

    private static void Bump(ref long counter) => Volatile.Write(ref counter, counter + 1);
}
