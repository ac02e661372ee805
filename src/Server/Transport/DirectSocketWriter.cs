using System.Net.Sockets;
using System.Runtime.CompilerServices;
using DotNetty.Handlers.Tls;
using DotNetty.Transport.Channels;
using DotNetty.Transport.Channels.Sockets;

namespace Edge.Server.Transport;

/// <summary>
/// Writes bytes straight to a plaintext TCP channel's socket from the channel's event loop, skipping DotNetty's
/// write path (pipeline traversal, outbound-buffer entry and the <see cref="Task"/> DotNetty 0.7.6 allocates per
/// write). It writes only while DotNetty holds no queued bytes for the channel, so the byte order on the wire is the
/// order of the calls; whatever the socket does not take now is for the caller to hand to the pipeline, which from
/// then on has queued bytes and so takes every later write too, until it has drained. Loop thread only.
/// </summary>
public sealed class DirectSocketWriter
{
    private readonly Socket _socket;
    private readonly ChannelOutboundBuffer _outbound;
    private bool _stopped;

    private DirectSocketWriter(Socket socket, ChannelOutboundBuffer outbound)
    {
        _socket = socket;
        _outbound = outbound;
    }

    /// <summary>
    /// A writer for <paramref name="channel"/>, or null when its bytes must go through the pipeline: not an open TCP
    /// socket channel (tests' embedded channels), or TLS (the bytes must be encrypted by the pipeline's handler).
    /// Call it on the channel's event loop.
    /// </summary>
    public static DirectSocketWriter? TryCreate(IChannel channel)
    {
        if (channel is not TcpSocketChannel tcp || channel.Unsafe.OutboundBuffer is not { } outbound)
        {
            return null;
        }

        IDataWriteGate? gate = null;
        foreach (var handler in channel.Pipeline)
        {
            if (handler is TlsHandler)
            {
                return null;
            }

            gate ??= handler as IDataWriteGate;
        }

        var writer = new DirectSocketWriter(SocketOf(tcp), outbound);
        gate?.Attach(writer);
        return writer;
    }

    /// <summary>No more direct writes (the connection takes no more application data). Loop thread only.</summary>
    public void Stop() => _stopped = true;

    /// <summary>
    /// Writes as much of <paramref name="bytes"/> as the socket takes at once, without blocking, and returns how many
    /// bytes that was: 0 when DotNetty still holds queued bytes (order first), the writer was stopped, the socket is
    /// full, or it has failed or closed (DotNetty's own write then meets the error and closes the channel).
    /// </summary>
    /// <remarks>
    /// Everything read here lives in this object or the channel's outbound buffer: with thousands of connections each
    /// extra object per write is a likely cache miss. A closed channel needs no check of its own: its disposed socket
    /// refuses the send (the safe handle guards against a reused descriptor).
    /// </remarks>
    public int TryWrite(ReadOnlySpan<byte> bytes)
    {
        if (_stopped || _outbound.TotalPendingWriteBytes() != 0)
        {
            return 0;
        }

        try
        {
            var written = _socket.Send(bytes, SocketFlags.None, out var error);
            if (error is SocketError.Success or SocketError.WouldBlock)
            {
                return Math.Max(written, 0);
            }
        }
        catch (ObjectDisposedException)
        {
            // Closed under us: the pipeline write reports it.
        }

        _stopped = true;
        return 0;
    }

    // DotNetty keeps the socket in a protected field; this reads it without reflection (native-AOT safe).
    [UnsafeAccessor(UnsafeAccessorKind.Field, Name = "Socket")]
    private static extern ref Socket SocketOf(AbstractSocketChannel channel);
}
