namespace Edge.Ingest.Aeron;

/// <summary>
/// The receiver's counters. Written only by the receive thread, readable from any thread (each read is a
/// volatile 64-bit load), e.g. by a Prometheus exporter. Counts only grow, except the two gauges.
/// </summary>
public sealed class AeronReceiverCounters
{
    private static readonly int DropReasonCount = Enum.GetValues<AeronDropReason>().Length;

    private readonly long[] _drops = new long[DropReasonCount];
    private long _datagramsReceived;
    private long _bytesReceived;
    private long _dataFramesReceived;
    private long _heartbeatsReceived;
    private long _setupsReceived;
    private long _messagesDelivered;
    private long _bytesDelivered;
    private long _statusMessagesSent;
    private long _naksSent;
    private long _naksSuppressed;
    private AeronImageInfo[] _liveImages = [];
    private long _setupRequestsSent;
    private long _rttmRepliesSent;
    private long _imagesCreated;
    private long _imagesEndOfStream;
    private long _imagesTimedOut;
    private long _pendingImagesExpired;
    private long _imagesReplaced;
    private long _setupRefusalsReported;
    private long _handlerErrors;
    private long _receiverErrors;
    private long _sendErrors;
    private long _activeImages;
    private long _images;

    public long DatagramsReceived => Volatile.Read(ref _datagramsReceived);

    public long BytesReceived => Volatile.Read(ref _bytesReceived);

    /// <summary>DATA and PAD frames placed into an image (duplicates and drops excluded).</summary>
    public long DataFramesReceived => Volatile.Read(ref _dataFramesReceived);

    public long HeartbeatsReceived => Volatile.Read(ref _heartbeatsReceived);

    public long SetupsReceived => Volatile.Read(ref _setupsReceived);

    /// <summary>Complete messages handed to the handler.</summary>
    public long MessagesDelivered => Volatile.Read(ref _messagesDelivered);

    public long BytesDelivered => Volatile.Read(ref _bytesDelivered);

    public long StatusMessagesSent => Volatile.Read(ref _statusMessagesSent);

    public long NaksSent => Volatile.Read(ref _naksSent);

    /// <summary>Multicast: NAKs not sent because another receiver had just NAKed the same gap on the control group.</summary>
    public long NaksSuppressed => Volatile.Read(ref _naksSuppressed);

    /// <summary>The active images now (a snapshot, replaced whole when one comes or goes), e.g. for per-image metrics.</summary>
    public IReadOnlyList<AeronImageInfo> LiveImages => Volatile.Read(ref _liveImages);

    /// <summary>Status messages with the send-setup flag (asking an unknown session for a SETUP).</summary>
    public long SetupRequestsSent => Volatile.Read(ref _setupRequestsSent);

    public long RttmRepliesSent => Volatile.Read(ref _rttmRepliesSent);

    public long ImagesCreated => Volatile.Read(ref _imagesCreated);

    public long ImagesEndOfStream => Volatile.Read(ref _imagesEndOfStream);

    public long ImagesTimedOut => Volatile.Read(ref _imagesTimedOut);

    /// <summary>Images created by a SETUP that never saw DATA and were dropped after the pending timeout.</summary>
    public long PendingImagesExpired => Volatile.Read(ref _pendingImagesExpired);

    /// <summary>Images ended because their publisher restarted with the same session id and address (a new image took over).</summary>
    public long ImagesReplaced => Volatile.Read(ref _imagesReplaced);

    /// <summary>Refused SETUPs reported to the handler (the rest are only counted as drops).</summary>
    public long SetupRefusalsReported => Volatile.Read(ref _setupRefusalsReported);

    /// <summary>Exceptions thrown by the handler (caught; the stream goes on).</summary>
    public long HandlerErrors => Volatile.Read(ref _handlerErrors);

    /// <summary>Exceptions caught in the receive loop itself (socket errors, bugs); the thread goes on.</summary>
    public long ReceiverErrors => Volatile.Read(ref _receiverErrors);

    /// <summary>Failed sends of SMs, NAKs or RTTM replies.</summary>
    public long SendErrors => Volatile.Read(ref _sendErrors);

    /// <summary>Gauge: images that have seen data and not ended (the feed is up while this is above 0).</summary>
    public long ActiveImages => Volatile.Read(ref _activeImages);

    /// <summary>Gauge: images held, including pending and lingering ones (bounded by MaxImages).</summary>
    public long Images => Volatile.Read(ref _images);

    /// <summary>Datagrams or frames dropped for <paramref name="reason"/>.</summary>
    public long Dropped(AeronDropReason reason) => Volatile.Read(ref _drops[(int)reason]);

    /// <summary>All drops, whatever the reason.</summary>
    public long TotalDropped
    {
        get
        {
            long total = 0;
            for (var i = 0; i < _drops.Length; i++)
            {
                total += Volatile.Read(ref _drops[i]);
            }

            return total;
        }
    }

    // Single writer (the receive thread): a plain read then a volatile write is atomic enough and never torn.
    internal void Drop(AeronDropReason reason) => Bump(ref _drops[(int)reason]);

    internal void Datagram(int length)
    {
        Bump(ref _datagramsReceived);
        Volatile.Write(ref _bytesReceived, _bytesReceived + length);
    }

    internal void DataFrame() => Bump(ref _dataFramesReceived);

    internal void Heartbeat() => Bump(ref _heartbeatsReceived);

    internal void Setup() => Bump(ref _setupsReceived);

    internal void Delivered(int length)
    {
        Bump(ref _messagesDelivered);
        Volatile.Write(ref _bytesDelivered, _bytesDelivered + length);
    }

    internal void StatusMessageSent() => Bump(ref _statusMessagesSent);

    internal void NakSent() => Bump(ref _naksSent);

    internal void NakSuppressed() => Bump(ref _naksSuppressed);

    internal void AddLiveImage(AeronImageInfo image)
    {
        var current = _liveImages;
        var grown = new AeronImageInfo[current.Length + 1];
        current.CopyTo(grown, 0);
        grown[^1] = image;
        Volatile.Write(ref _liveImages, grown);
    }

    internal void RemoveLiveImage(AeronImageInfo image)
    {
        var current = _liveImages;
        var index = Array.IndexOf(current, image);
        if (index < 0)
        {
            return;
        }

        var shrunk = new AeronImageInfo[current.Length - 1];
        Array.Copy(current, 0, shrunk, 0, index);
        Array.Copy(current, index + 1, shrunk, index, current.Length - index - 1);
        Volatile.Write(ref _liveImages, shrunk);
    }

    internal void SetupRequestSent() => Bump(ref _setupRequestsSent);

    internal void RttmReplySent() => Bump(ref _rttmRepliesSent);

    internal void ImageCreated() => Bump(ref _imagesCreated);

    internal void ImageEndOfStream() => Bump(ref _imagesEndOfStream);

    internal void ImageTimedOut() => Bump(ref _imagesTimedOut);

    internal void PendingImageExpired() => Bump(ref _pendingImagesExpired);

    internal void ImageReplaced() => Bump(ref _imagesReplaced);

    internal void SetupRefusalReported() => Bump(ref _setupRefusalsReported);

    internal void HandlerError() => Bump(ref _handlerErrors);

    internal void ReceiverError() => Bump(ref _receiverErrors);

    internal void SendError() => Bump(ref _sendErrors);

    internal void SetActiveImages(int count) => Volatile.Write(ref _activeImages, count);

    internal void SetImages(int count) => Volatile.Write(ref _images, count);

    private static void Bump(ref long counter) => Volatile.Write(ref counter, counter + 1);
}
