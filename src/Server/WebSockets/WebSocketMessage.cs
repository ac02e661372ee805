using DotNetty.Buffers;
using DotNetty.Common;
using Edge.Protocol.WebSockets;

namespace Edge.Server.WebSockets;

/// <summary>
/// One complete message from a client, as <see cref="WebSocketCodec"/> hands it to the next handler: the opcode of
/// its first frame (<see cref="WebSocketOpcode.Text"/> or <see cref="WebSocketOpcode.Binary"/>) and the unmasked
/// payload of all its fragments. Text payloads are valid UTF-8.
/// <para>
/// The receiver owns it and must call <see cref="Release()"/> once done (the pipeline's tail does so for messages
/// nobody handled). Release frees the payload and returns this object to a per-thread pool, so receiving a message
/// allocates nothing in steady state. To keep the bytes longer, <c>Payload.Retain()</c> them (or
/// <see cref="Retain()"/> the message) before releasing; never use the message object after its final release.
/// </para>
/// </summary>
public sealed class WebSocketMessage : IReferenceCounted
{
    private static readonly ThreadLocalPool<WebSocketMessage> Pool = new(static handle => new WebSocketMessage(handle));

    private readonly ThreadLocalPool.Handle _handle;
    private IByteBuffer? _payload;

    private WebSocketMessage(ThreadLocalPool.Handle handle)
    {
        _handle = handle;
    }

    /// <summary>Text (UTF-8) or binary.</summary>
    public WebSocketOpcode Opcode { get; private set; }

    public bool IsText => Opcode == WebSocketOpcode.Text;

    /// <summary>The unmasked payload (reader index at its start). Throws after the final release.</summary>
    public IByteBuffer Payload => _payload ?? throw new InvalidOperationException("the message was released");

    public int ReferenceCount => _payload?.ReferenceCount ?? 0;

    /// <summary>Wraps <paramref name="payload"/> (ownership passes to the message).</summary>
    public static WebSocketMessage Create(WebSocketOpcode opcode, IByteBuffer payload)
    {
        ArgumentNullException.ThrowIfNull(payload);
        if (opcode is not (WebSocketOpcode.Text or WebSocketOpcode.Binary))
        {
            throw new ArgumentOutOfRangeException(nameof(opcode), opcode, "a message is text or binary");
        }

        var message = Pool.Take();
        message.Opcode = opcode;
        message._payload = payload;
        return message;
    }

    public IReferenceCounted Retain()
    {
        Payload.Retain();
        return this;
    }

    public IReferenceCounted Retain(int increment)
    {
        Payload.Retain(increment);
        return this;
    }

    public IReferenceCounted Touch() => this;

    public IReferenceCounted Touch(object hint) => this;

    /// <summary>Releases the payload; when that was the last reference, the message goes back to the pool.</summary>
    public bool Release() => Release(1);

    public bool Release(int decrement)
    {
        if (!Payload.Release(decrement))
        {
            return false;
        }

        _payload = null;
        _handle.Release(this);
        return true;
    }

    public override string ToString() => _payload is null ? "released" : $"{Opcode} {_payload.ReadableBytes} B";
}
