using System.Diagnostics;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using DotNetty.Handlers.Tls;
using DotNetty.Transport.Channels;
using DotNetty.Transport.Channels.Sockets;
using Edge.Server.Transport.Native;

namespace Edge.Server.Transport;

/// <summary>
/// Writes bytes straight to a plaintext TCP channel's socket from the channel's event loop, skipping DotNetty's
/// write path (pipeline traversal, outbound-buffer entry and the <see cref="Task"/> DotNetty 0.7.6 allocates per
/// write) and .NET's <see cref="Socket.Send(ReadOnlySpan{byte})"/> layers: one <c>sendmsg</c> of the frames where
/// they lie (gathered, not copied). It writes only while DotNetty holds no queued bytes for the channel, so the byte
/// order on the wire is the order of the calls; whatever the socket does not take now is for the caller to hand to
/// the pipeline, which from then on has queued bytes and so takes every later write too, until it has drained.
/// Linux only; loop thread only.
/// </summary>
public sealed unsafe class DirectSocketWriter
{
    private readonly SafeSocketHandle _handle;
    private readonly ChannelOutboundBuffer _outbound;
    private bool _stopped;

    private DirectSocketWriter(SafeSocketHandle handle, ChannelOutboundBuffer outbound)
    {
        _handle = handle;
        _outbound = outbound;
    }

    /// <summary>
    /// A writer for <paramref name="channel"/>, or null when its bytes must go through the pipeline: not an open TCP
    /// socket channel (tests' embedded channels), TLS (the bytes must be encrypted by the pipeline's handler), or not
    /// Linux. Call it on the channel's event loop.
    /// </summary>
    public static DirectSocketWriter? TryCreate(IChannel channel)
    {
        if (!OperatingSystem.IsLinux() || channel is not TcpSocketChannel tcp || channel.Unsafe.OutboundBuffer is not { } outbound)
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

        var writer = new DirectSocketWriter(SocketOf(tcp).SafeHandle, outbound);
        gate?.Attach(writer);
        return writer;
    }

    /// <summary>No more direct writes (the connection takes no more application data). Loop thread only.</summary>
    public void Stop() => _stopped = true;

    /// <summary>
    /// The objects <see cref="TryWrite(Span{IoVector})"/> reads besides this one (DotNetty's outbound buffer, the socket
    /// handle), for the fan-out's prefetch: in a drain's flush over many connections those loads were most of this
    /// writer's time.
    /// </summary>
    internal (object Outbound, object Handle) WriteState => (_outbound, _handle);

    /// <summary>True once stopped: by <see cref="Stop"/>, or by a send that failed (reset, closed).</summary>
    internal bool IsStopped => _stopped;

    /// <summary>Writes as much of <paramref name="bytes"/> as the socket takes now; see <see cref="TryWrite(Span{IoVector})"/>.</summary>
    public int TryWrite(ReadOnlySpan<byte> bytes)
    {
        fixed (byte* start = bytes)
        {
            Span<IoVector> vector = [new IoVector { Base = start, Length = (nuint)bytes.Length }];
            return (int)TryWrite(vector);
        }
    }

    /// <summary>
    /// Writes as much of the bytes <paramref name="vectors"/> point at, in order, as the socket takes at once without
    /// blocking (one <c>sendmsg</c>: at most <see cref="SocketCalls.MaxVectors"/> vectors; <see cref="GatherCork"/>
    /// splits a longer cork into calls of that many), and returns how many
    /// bytes that was: 0 when DotNetty still holds queued bytes (order first), the writer was stopped, the socket is
    /// full, or it has failed or closed (DotNetty's own write then meets the error and closes the channel). The
    /// memory must stay where it is until this returns.
    /// </summary>
    /// <remarks>
    /// Everything read here lives in this object, the socket's handle or the channel's outbound buffer: with thousands
    /// of connections each extra object per write is a likely cache miss. The handle is referenced for the call, as
    /// .NET's own send does, so a descriptor closed and reused under us is never written.
    /// </remarks>
    internal long TryWrite(Span<IoVector> vectors)
    {
        Debug.Assert(vectors.Length <= SocketCalls.MaxVectors, "one sendmsg takes at most MaxVectors vectors");
        if (_stopped || _outbound.TotalPendingWriteBytes() != 0)
        {
            return 0;
        }

        var referenced = false;
        try
        {
            _handle.DangerousAddRef(ref referenced);
            return Send((int)_handle.DangerousGetHandle(), vectors);
        }
        catch (ObjectDisposedException)
        {
            // Closed under us: the pipeline write reports it.
            _stopped = true;
            return 0;
        }
        finally
        {
            if (referenced)
            {
                _handle.DangerousRelease();
            }
        }
    }

    private long Send(int fd, Span<IoVector> vectors)
    {
        nint sent;
        fixed (IoVector* first = vectors)
        {
            var header = new MessageHeader { Vectors = first, VectorCount = (nuint)vectors.Length };
            do
            {
                // One piece (most writes below saturation): send, whose single-buffer path in the kernel is cheaper
                // than sendmsg's vector import.
                sent = vectors.Length == 1
                    ? SocketCalls.Send(fd, first->Base, first->Length, SocketCalls.DontWaitNoSignal)
                    : SocketCalls.SendMessage(fd, &header, SocketCalls.DontWaitNoSignal);
            }
            while (sent < 0 && Marshal.GetLastPInvokeError() == SocketCalls.EIntr);
        }

        if (sent < 0)
        {
            if (Marshal.GetLastPInvokeError() != SocketCalls.EAgain)
            {
                // Reset, closed or failed: DotNetty's write of what is left meets the same error and closes.
                _stopped = true;
            }

            return 0;
        }

        return sent;
    }

    // DotNetty keeps the socket in a protected field; this reads it without reflection (native-AOT safe).
    [UnsafeAccessor(UnsafeAccessorKind.Field, Name = "Socket")]
    private static extern ref Socket SocketOf(AbstractSocketChannel channel);
}
