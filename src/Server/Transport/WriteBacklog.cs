using DotNetty.Buffers;
using DotNetty.Transport.Channels;

namespace Edge.Server.Transport;

/// <summary>
/// Keeps a connection's write backlog in Edge rather than in DotNetty, so that it can be thrown away. Writes pass
/// straight on while DotNetty holds less than <see cref="MaxBytesInFlight"/> for the socket; past that, whole messages
/// wait here in a <see cref="PendingWriteQueue"/> (which counts them in the channel's pending bytes, so writability,
/// the watermarks and the fan-out's queued-bytes limit see them as before) and are handed on, in order, each time
/// what DotNetty holds has been written. Order is unchanged: every write through the pipeline passes this one queue.
/// <para>
/// DotNetty's outbound buffer cannot be trimmed: while the socket is full its pending asynchronous send holds the
/// entries' arrays. So on a slow-consumer close <see cref="Discard"/> drops only what waits here; what DotNetty holds
/// (whole messages, the rest of a partly sent one included: at most about <see cref="MaxBytesInFlight"/> plus one
/// message) still goes out, so the stream stays well-formed, and the close frame or last event follows right after it.
/// </para>
/// Sits on the application side of TLS: with TLS on, what waits here is plaintext not yet encrypted. Loop thread only.
/// </summary>
public sealed class WriteBacklog : ChannelHandlerAdapter
{
    /// <summary>Its name in the pipeline.</summary>
    public const string HandlerName = "write-backlog";

    /// <summary>
    /// What DotNetty may hold beyond the kernel's buffer before writes wait here: small, since it is what still goes
    /// out before a slow consumer's close frame; large enough that a client catching up gets full sends.
    /// </summary>
    public const int MaxBytesInFlight = 16 * 1024;

    private static readonly Exception DiscardedException =
        new InvalidOperationException("discarded: the connection was closed as a slow consumer before this was written");

    private static readonly Exception ClosedException =
        new InvalidOperationException("the connection closed before this was written");

    private static readonly Action<object> HandOverOnLoop = static state => ((WriteBacklog)state).HandOver();

    private static readonly Action<Task, object?> HandOverWhenWritten = static (_, state) =>
    {
        var backlog = (WriteBacklog)state!;
        // Not inline: the write completes inside DotNetty's flush, which must not be re-entered.
        backlog._context!.Executor.Execute(HandOverOnLoop, backlog);
    };

    private IChannelHandlerContext? _context;
    private PendingWriteQueue? _queue;
    private long _queuedBytes;
    private Task? _lastHandedOn;
    private bool _waiting;
    private bool _discarded;

    /// <summary>Bytes waiting here (not yet handed to DotNetty).</summary>
    public long QueuedBytes => _queuedBytes;

    private bool IsEmpty => _queue is null || _queue.IsEmpty;

    public override void HandlerAdded(IChannelHandlerContext context) => _context = context;

    public override Task WriteAsync(IChannelHandlerContext context, object message)
    {
        if (IsEmpty && (_discarded || HeldByDotNetty(context) < MaxBytesInFlight))
        {
            var task = context.WriteAsync(message);
            _lastHandedOn = task;
            return task;
        }

        // Created on the first backlog only: most connections never need one.
        var queue = _queue ??= new PendingWriteQueue(context);
        _queuedBytes += SizeOf(message);
        var queued = queue.Add(message);
        WaitForInFlight();
        return queued;
    }

    /// <summary>
    /// Drops everything waiting here (their writes fail) and lets every later write pass straight on: the caller's
    /// close frame or last event is then the next thing after what DotNetty already holds. Loop thread only.
    /// Returns the bytes dropped.
    /// </summary>
    public long Discard()
    {
        _discarded = true;
        var dropped = _queuedBytes;
        _queuedBytes = 0;
        _queue?.RemoveAndFailAll(DiscardedException);
        return dropped;
    }

    public override void ChannelInactive(IChannelHandlerContext context)
    {
        FailAll();
        context.FireChannelInactive();
    }

    public override void HandlerRemoved(IChannelHandlerContext context) => FailAll();

    private void FailAll()
    {
        _queuedBytes = 0;
        _queue?.RemoveAndFailAll(ClosedException);
    }

    /// <summary>Hands on what waits here once DotNetty has written what it holds.</summary>
    private void WaitForInFlight()
    {
        if (_waiting)
        {
            return;
        }

        _waiting = true;
        var last = _lastHandedOn;
        if (last is null || last.IsCompleted)
        {
            _context!.Executor.Execute(HandOverOnLoop, this);
            return;
        }

        last.ContinueWith(HandOverWhenWritten, this, TaskContinuationOptions.ExecuteSynchronously);
    }

    private void HandOver()
    {
        _waiting = false;
        var context = _context!;
        var queue = _queue;
        if (queue is null || queue.IsEmpty)
        {
            return;
        }

        if (!context.Channel.Active)
        {
            FailAll();
            return;
        }

        // At least one message, so the backlog always moves; then up to what DotNetty may hold.
        do
        {
            _queuedBytes -= SizeOf(queue.Current);
            _lastHandedOn = queue.RemoveAndWriteAsync();
        }
        while (!queue.IsEmpty && HeldByDotNetty(context) < MaxBytesInFlight);

        if (queue.IsEmpty)
        {
            _queuedBytes = 0;
        }

        context.Flush();
        if (!queue.IsEmpty)
        {
            WaitForInFlight();
        }
    }

    /// <summary>Bytes DotNetty holds for the socket: the channel's pending bytes less those waiting here.</summary>
    private long HeldByDotNetty(IChannelHandlerContext context) =>
        (context.Channel.Unsafe.OutboundBuffer?.TotalPendingWriteBytes() ?? 0) - _queuedBytes;

    private static long SizeOf(object? message) => message is IByteBuffer buffer ? buffer.ReadableBytes : 0;
}
