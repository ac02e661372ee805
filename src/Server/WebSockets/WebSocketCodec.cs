using DotNetty.Buffers;
using DotNetty.Codecs;
using DotNetty.Common.Concurrency;
using DotNetty.Common.Utilities;
using DotNetty.Transport.Channels;
using Edge.Protocol.WebSockets;
using Edge.Server.Transport;

namespace Edge.Server.WebSockets;

/// <summary>
/// The server side of RFC 6455 on one connection, installed after the 101 response.
/// <para>
/// <b>Inbound</b>, an explicit state machine (<c>Header → Payload → Header …</c>, or <c>Discard</c> once the
/// connection is failed or closing is done): each client frame is checked as soon as its header is complete —
/// masking, reserved bits, opcodes, control-frame rules, fragment sequencing and the message size limit — and
/// every violation fails the connection with its own close code (1002, 1007 invalid UTF-8, 1009 too big). Text is
/// UTF-8 checked as its bytes arrive, across reads and fragments, so 1007 follows the first byte that cannot be valid.
/// Complete messages go to the next handler as <see cref="WebSocketMessage"/>: a single-frame message is
/// unmasked in place and handed over as a slice of the receive buffer (no copy); fragments are gathered into one
/// pooled buffer. Pings are answered with pongs by the codec, pongs are ignored, and the close handshake runs here.
/// </para>
/// <para>
/// <b>Outbound</b>, a gate: frames written by the application (pre-encoded price frames, <see cref="PooledMessageFrames"/>)
/// pass through untouched until a close frame has been sent, after which they are released and dropped.
/// </para>
/// Not thread-safe: like every handler it runs on its channel's event loop. <see cref="WebSocketCloser"/> is the way
/// to start a close from elsewhere.
/// </summary>
public sealed class WebSocketCodec : ByteToMessageDecoder, IDataWriteGate
{
    /// <summary>The codec's name in the pipeline.</summary>
    public const string HandlerName = "ws-codec";

    private const int MinAssemblyCapacity = 256;

    private static readonly Task DroppedAfterClose =
        Task.FromException(new InvalidOperationException("the WebSocket close frame was sent; later frames are dropped"));

    private static readonly Action<Task, object?> CloseWhenWritten = static (_, state) => ((IChannelHandlerContext)state!).CloseAsync();

    private static readonly Action<object, object> CloseOnTimeout = static (state, codec) =>
        ((WebSocketCodec)codec).OnCloseTimeout((IChannelHandlerContext)state);

    private static readonly Action<object, object> CutOnTimeout = static (state, codec) =>
    {
        ((WebSocketCodec)codec)._closeTimer = null;
        ((IChannelHandlerContext)state).CloseAsync();
    };

    private static readonly Action<object, object> CloseFrameWrittenOnLoop = static (state, codec) =>
        ((WebSocketCodec)codec).OnCloseFrameWritten((IChannelHandlerContext)state);

    private static readonly Action<Task, object?> CloseFrameWritten = static (task, state) =>
    {
        if (!task.IsCompletedSuccessfully)
        {
            return;
        }

        var codec = (WebSocketCodec)state!;
        var context = codec._context!;
        if (context.Executor.InEventLoop)
        {
            codec.OnCloseFrameWritten(context);
        }
        else
        {
            context.Executor.Execute(CloseFrameWrittenOnLoop, context, codec);
        }
    };

    private readonly WebSocketCodecSettings _settings;
    private IChannelHandlerContext? _context;
    private State _state;
    private WebSocketFrameHeader _header;

    // Bytes at the front of the current frame's payload already unmasked and UTF-8 checked while it was still
    // arriving (text only), so invalid UTF-8 fails the connection at the read that brings it.
    private int _payloadChecked;

    // The message being reassembled from fragments.
    private bool _inMessage;
    private WebSocketOpcode _messageOpcode;
    private int _messageLength;
    private IByteBuffer? _assembly;
    private Utf8StreamValidator _utf8;

    private bool _closeSent;

    // A server-initiated close: its close frame is in the kernel (written); the close timeout expired before that.
    private bool _closeFrameWritten;
    private bool _closeWhenWritten;
    private DirectSocketWriter? _directWriter;
    private bool _flushPending;
    private IScheduledTask? _closeTimer;

    public WebSocketCodec(WebSocketCodecSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _settings = settings;
    }

    private enum State : byte
    {
        Header,
        Payload,
        Discard,
    }

    /// <summary>True once a close frame has gone out (server- or client-initiated); no data frame follows it.</summary>
    public bool CloseSent => _closeSent;

    /// <summary>Writes that bypass the pipeline (the fan-out's direct writes) stop with the close frame too.</summary>
    void IDataWriteGate.Attach(DirectSocketWriter writer)
    {
        _directWriter = writer;
        if (_closeSent)
        {
            writer.Stop();
        }
    }

    public override void HandlerAdded(IChannelHandlerContext context)
    {
        _context = context;
        base.HandlerAdded(context);
    }

    public override void ChannelRead(IChannelHandlerContext context, object message)
    {
        // Decode unmasks and validates through spans over the buffer's array; the rare buffer without one is copied.
        if (message is IByteBuffer { HasArray: false } buffer)
        {
            var copy = context.Allocator.HeapBuffer(buffer.ReadableBytes);
            copy.WriteBytes(buffer);
            buffer.Release();
            message = copy;
        }

        base.ChannelRead(context, message);
    }

    public override void ChannelReadComplete(IChannelHandlerContext context)
    {
        if (_flushPending)
        {
            // Pongs of one read go out with one flush.
            _flushPending = false;
            context.Flush();
        }

        base.ChannelReadComplete(context);
    }

    public override void ChannelInactive(IChannelHandlerContext context)
    {
        _state = State.Discard;
        Cleanup();
        base.ChannelInactive(context);
    }

    public override void ExceptionCaught(IChannelHandlerContext context, Exception exception)
    {
        // A transport error (connection reset) or a bug in this codec: either way the connection is done.
        _state = State.Discard;
        context.CloseAsync();
        context.FireExceptionCaught(exception);
    }

    /// <summary>Application writes pass until the close frame is out; after it they are dropped (released).</summary>
    public override Task WriteAsync(IChannelHandlerContext context, object message)
    {
        if (!_closeSent)
        {
            return context.WriteAsync(message);
        }

        ReferenceCountUtil.Release(message);
        return DroppedAfterClose;
    }

    /// <summary>
    /// Starts a server-initiated close on the event loop: sends the close frame, stops application frames, and
    /// closes TCP when the client's close frame arrives or after the close timeout. A close frame still queued when the
    /// timeout expires (a client that stopped reading) is waited for up to another close timeout, so that TCP is closed
    /// after it is in the kernel and the client, should it read again, gets it before the end of the stream. Does
    /// nothing if a close frame was already sent.
    /// </summary>
    internal void StartClose(ushort code, string? reason)
    {
        var context = _context;
        if (context is null || _closeSent || context.Removed || !context.Channel.Active)
        {
            return;
        }

        MarkCloseSent();
        _settings.Counters.ServerCloses.Increment();
        // The timer first: a write that completes at once runs the continuation before the next line.
        _closeTimer = context.Executor.Schedule(CloseOnTimeout, context, this, _settings.CloseTimeout);
        context.WriteAndFlushAsync(PooledMessageFrames.Close(context.Allocator, code, reason))
            .ContinueWith(CloseFrameWritten, this, TaskContinuationOptions.ExecuteSynchronously);
    }

    private void OnCloseTimeout(IChannelHandlerContext context)
    {
        _settings.Counters.CloseTimeouts.Increment();
        if (_closeFrameWritten || !context.Channel.Active)
        {
            _closeTimer = null;
            context.CloseAsync();
            return;
        }

        _closeWhenWritten = true;
        _closeTimer = context.Executor.Schedule(CutOnTimeout, context, this, _settings.CloseTimeout);
    }

    private void OnCloseFrameWritten(IChannelHandlerContext context)
    {
        _closeFrameWritten = true;
        if (_closeWhenWritten)
        {
            CancelCloseTimer();
            context.CloseAsync();
        }
    }

    protected override void Decode(IChannelHandlerContext context, IByteBuffer input, List<object> output)
    {
        switch (_state)
        {
            case State.Header:
                ReadHeader(context, input);
                return;
            case State.Payload:
                ReadPayload(context, input);
                return;
            default:
                input.SkipBytes(input.ReadableBytes);
                return;
        }
    }

    protected override void HandlerRemovedInternal(IChannelHandlerContext context) => Cleanup();

    private void ReadHeader(IChannelHandlerContext context, IByteBuffer input)
    {
        var available = Math.Min(input.ReadableBytes, WebSocketFrame.MaxHeaderLength);
        var status = WebSocketFrame.TryReadHeader(Span(input, input.ReaderIndex, available), expectMasked: true, out var header);
        if (status == WebSocketFrameHeaderStatus.Incomplete)
        {
            return;
        }

        if (status != WebSocketFrameHeaderStatus.Ok)
        {
            Fail(context, input, WebSocketCloseCode.ProtocolError, HeaderFailureReason(status));
            return;
        }

        if (!header.IsControl)
        {
            var continuation = header.Opcode == WebSocketOpcode.Continuation;
            if (continuation && !_inMessage)
            {
                Fail(context, input, WebSocketCloseCode.ProtocolError, "continuation frame without a message to continue");
                return;
            }

            if (!continuation && _inMessage)
            {
                Fail(context, input, WebSocketCloseCode.ProtocolError, "new data frame inside a fragmented message");
                return;
            }

            // Checked before a byte of the payload is read: the limit also bounds what this codec buffers.
            if (_messageLength + header.PayloadLength > _settings.MaxMessageBytes)
            {
                Fail(context, input, WebSocketCloseCode.MessageTooBig, "message too big");
                return;
            }
        }

        input.SkipBytes(header.HeaderLength);
        _header = header;
        _payloadChecked = 0;
        _state = State.Payload;

        // Straight on: a frame with an empty payload may be the last bytes of the buffer.
        ReadPayload(context, input);
    }

    private void ReadPayload(IChannelHandlerContext context, IByteBuffer input)
    {
        // Both bounded by now: control frames by 125, data frames by the message limit.
        var length = (int)_header.PayloadLength;
        var available = input.ReadableBytes;
        if (available < length)
        {
            CheckArrivingText(context, input, available);
            return;
        }

        _state = State.Header;
        var index = input.ReaderIndex;
        var payload = Span(input, index, length);
        var alreadyChecked = _payloadChecked;
        _payloadChecked = 0;
        WebSocketMask.Apply(payload[alreadyChecked..], _header.MaskKey, alreadyChecked);
        switch (_header.Opcode)
        {
            case WebSocketOpcode.Ping:
                Pong(context, payload);
                input.SkipBytes(length);
                return;
            case WebSocketOpcode.Pong:
                input.SkipBytes(length);
                return;
            case WebSocketOpcode.Close:
                input.SkipBytes(length);
                OnClose(context, input, payload);
                return;
            default:
                OnData(context, input, payload, alreadyChecked);
                return;
        }
    }

    /// <summary>
    /// A text frame whose payload is still arriving: unmasks and validates the bytes that came since the last read,
    /// so a prefix that can no longer be valid UTF-8 fails the connection with 1007 now, not when (or if) the rest of
    /// the frame arrives (RFC 6455 §8.1 fail fast; Autobahn 6.4.3/6.4.4 strict).
    /// </summary>
    private void CheckArrivingText(IChannelHandlerContext context, IByteBuffer input, int available)
    {
        var opcode = _header.Opcode == WebSocketOpcode.Continuation ? _messageOpcode : _header.Opcode;
        if (opcode != WebSocketOpcode.Text || _closeSent || available <= _payloadChecked)
        {
            return;
        }

        var arrived = Span(input, input.ReaderIndex + _payloadChecked, available - _payloadChecked);
        WebSocketMask.Apply(arrived, _header.MaskKey, _payloadChecked);
        _payloadChecked = available;
        if (!_utf8.Append(arrived, isFinal: false))
        {
            Fail(context, input, WebSocketCloseCode.InvalidPayloadData, "invalid UTF-8 in a text message");
        }
    }

    // alreadyChecked: leading payload bytes whose UTF-8 CheckArrivingText validated while the frame arrived.
    private void OnData(IChannelHandlerContext context, IByteBuffer input, ReadOnlySpan<byte> payload, int alreadyChecked)
    {
        var fin = _header.Fin;
        var opcode = _header.Opcode == WebSocketOpcode.Continuation ? _messageOpcode : _header.Opcode;
        var length = payload.Length;
        if (_closeSent)
        {
            // Closing: data is no longer delivered (nor validated); only the fragment sequence is followed.
            _inMessage = !fin;
            _messageOpcode = opcode;
            _messageLength = fin ? 0 : _messageLength + length;
            input.SkipBytes(length);
            return;
        }

        if (opcode == WebSocketOpcode.Text && !_utf8.Append(payload[alreadyChecked..], fin))
        {
            Fail(context, input, WebSocketCloseCode.InvalidPayloadData, "invalid UTF-8 in a text message");
            return;
        }

        if (fin && !_inMessage)
        {
            // A whole message in one frame: hand over the unmasked bytes where they lie.
            Deliver(context, opcode, input.ReadRetainedSlice(length));
            return;
        }

        if (!_inMessage)
        {
            _inMessage = true;
            _messageOpcode = opcode;
            _messageLength = 0;
            var capacity = Math.Min(_settings.MaxMessageBytes, Math.Max(MinAssemblyCapacity, 2 * length));
            _assembly = context.Allocator.Buffer(capacity, _settings.MaxMessageBytes);
        }

        var assembly = _assembly!;
        _messageLength += length;
        assembly.WriteBytes(input, input.ReaderIndex, length);
        input.SkipBytes(length);
        if (!fin)
        {
            return;
        }

        _assembly = null;
        _inMessage = false;
        _messageLength = 0;
        Deliver(context, _messageOpcode, assembly);
    }

    private void Deliver(IChannelHandlerContext context, WebSocketOpcode opcode, IByteBuffer payload)
    {
        _settings.Counters.MessagesIn.Increment();
        _settings.Counters.BytesIn.Add(payload.ReadableBytes);
        context.FireChannelRead(WebSocketMessage.Create(opcode, payload));
    }

    private void Pong(IChannelHandlerContext context, ReadOnlySpan<byte> payload)
    {
        // No pong after our close frame; none either while the client does not read (a ping flood must not
        // grow the outbound buffer without bound; RFC 6455 §5.5.3 lets a pong answer only the latest ping).
        if (_closeSent || !context.Channel.IsWritable)
        {
            return;
        }

        _ = context.WriteAsync(PooledMessageFrames.Pong(context.Allocator, payload));
        _flushPending = true;
    }

    private void OnClose(IChannelHandlerContext context, IByteBuffer input, ReadOnlySpan<byte> payload)
    {
        if (_closeSent)
        {
            // The answer to our close frame: the handshake is complete, the server closes TCP (RFC 6455 §7.1.1).
            _state = State.Discard;
            input.SkipBytes(input.ReadableBytes);
            CancelCloseTimer();
            context.CloseAsync();
            return;
        }

        var status = WebSocketClosePayload.TryRead(payload, out var code, out _);
        switch (status)
        {
            case WebSocketClosePayloadStatus.Ok:
                break;
            case WebSocketClosePayloadStatus.NoStatusCode:
                code = WebSocketCloseCode.NormalClosure;
                break;
            case WebSocketClosePayloadStatus.InvalidUtf8:
                Fail(context, input, WebSocketCloseCode.InvalidPayloadData, "invalid UTF-8 in the close reason");
                return;
            default:
                Fail(context, input, WebSocketCloseCode.ProtocolError, "malformed close frame");
                return;
        }

        _settings.Counters.ClientCloses.Increment();
        _state = State.Discard;
        input.SkipBytes(input.ReadableBytes);
        SendCloseThenDisconnect(context, code, null);
    }

    /// <summary>_Fail the WebSocket Connection_ (RFC 6455 §7.1.7): close frame with the code, then TCP close.</summary>
    private void Fail(IChannelHandlerContext context, IByteBuffer input, ushort code, string reason)
    {
        _state = State.Discard;
        input.SkipBytes(input.ReadableBytes);
        _settings.Counters.ProtocolError(code);
        if (_closeSent)
        {
            CancelCloseTimer();
            context.CloseAsync();
            return;
        }

        SendCloseThenDisconnect(context, code, reason);
    }

    private void SendCloseThenDisconnect(IChannelHandlerContext context, ushort code, string? reason)
    {
        MarkCloseSent();
        _flushPending = false;
        context.WriteAndFlushAsync(PooledMessageFrames.Close(context.Allocator, code, reason))
            .ContinueWith(CloseWhenWritten, context, TaskContinuationOptions.ExecuteSynchronously);
    }

    /// <summary>The close frame goes out now: no application data after it, by the pipeline or around it.</summary>
    private void MarkCloseSent()
    {
        _closeSent = true;
        _directWriter?.Stop();
        ReleaseAssembly();
    }

    private void Cleanup()
    {
        CancelCloseTimer();
        ReleaseAssembly();
    }

    private void CancelCloseTimer()
    {
        _closeTimer?.Cancel();
        _closeTimer = null;
    }

    private void ReleaseAssembly()
    {
        _assembly?.Release();
        _assembly = null;
        _utf8.Reset();
    }

    private static Span<byte> Span(IByteBuffer buffer, int index, int length) =>
        new(buffer.Array, buffer.ArrayOffset + index, length);

    private static string HeaderFailureReason(WebSocketFrameHeaderStatus status) => status switch
    {
        WebSocketFrameHeaderStatus.ReservedBitsSet => "reserved bits set",
        WebSocketFrameHeaderStatus.ReservedOpcode => "reserved opcode",
        WebSocketFrameHeaderStatus.FragmentedControlFrame => "fragmented control frame",
        WebSocketFrameHeaderStatus.ControlFrameTooLong => "control frame over 125 bytes",
        WebSocketFrameHeaderStatus.NonMinimalLength => "payload length not in minimal form",
        WebSocketFrameHeaderStatus.LengthTooLarge => "payload length out of range",
        WebSocketFrameHeaderStatus.MaskRequired => "client frames must be masked",
        _ => "malformed frame header",
    };
}
