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
    private readonly IChannel _channel;
    private readonly Socket _socket;
    private readonly IDataWriteGate? _gate;
    private bool _failed;

    private DirectSocketWriter(IChannel channel, Socket socket, IDataWriteGate? gate)
    {
        _channel = channel;
        _socket = socket;
        _gate = gate;
    }

    /// <summary>
    /// A writer for <paramref name="channel"/>, or null when its bytes must go through the pipeline: not a TCP
    /// socket channel (tests' embedded channels), or TLS (the bytes must be encrypted by the pipeline's handler).
    /// </summary>
    public static DirectSocketWriter? TryCreate(IChannel channel)
    {
        if (channel is not TcpSocketChannel tcp)
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

        return new DirectSocketWriter(channel, SocketOf(tcp), gate);
    }

    /// <summary>
    /// Writes as much of <paramref name="bytes"/> as the socket takes at once, without blocking, and returns how many
    /// bytes that was: 0 when DotNetty still holds queued bytes (order first), the connection takes no more data,
    /// the socket is full, or it has failed (DotNetty's own write then meets the error and closes the channel).
    /// </summary>
    public int TryWrite(ReadOnlySpan<byte> bytes)
    {
        if (_failed || !_channel.Open || _gate is { AcceptsData: false })
        {
            return 0;
        }

        var outbound = _channel.Unsafe.OutboundBuffer;
        if (outbound is null || outbound.TotalPendingWriteBytes() != 0)
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

        _failed = true;
        return 0;
    }

    // DotNetty keeps the socket in a protected field; this reads it without reflection (native-AOT safe).
    [UnsafeAccessor(UnsafeAccessorKind.Field, Name = "Socket")]
    private static extern ref Socket SocketOf(AbstractSocketChannel channel);
}
