namespace Edge.EndToEnd.Tests.Support;

/// <summary>
/// Starts an Edge whose slow-consumer policy acts within a test's time: small write-buffer watermarks by default (a
/// client that stops reading is unwritable after a few KiB), the given timeout and queue bound.
/// </summary>
internal static class SlowConsumerEdge
{
    /// <param name="timeoutSeconds">How long a client may stay unwritable before it is closed.</param>
    /// <param name="maxQueuedBytes">How much may wait in Edge for it before it is closed.</param>
    /// <param name="highWaterMark">Unwritable above this many bytes in the channel.</param>
    /// <param name="lowWaterMark">Writable again below this.</param>
    /// <param name="closeTimeoutSeconds">The close handshake's bound; null keeps the default.</param>
    public static Task<RunningEdge> StartAsync(
        int timeoutSeconds, int maxQueuedBytes = 1024 * 1024, int highWaterMark = 16 * 1024, int lowWaterMark = 8 * 1024, int? closeTimeoutSeconds = null) =>
        RunningEdge.StartAsync(o =>
        {
            o.FanOut.WriteBufferHighWaterMark = highWaterMark;
            o.FanOut.WriteBufferLowWaterMark = lowWaterMark;
            o.FanOut.SlowConsumerTimeoutSeconds = timeoutSeconds;
            o.FanOut.SlowConsumerMaxQueuedBytes = maxQueuedBytes;
            if (closeTimeoutSeconds is { } close)
            {
                o.WebSocket.CloseTimeoutSeconds = close;
            }
        });
}
