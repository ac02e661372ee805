using System.Buffers;
using System.Text.Json;

namespace Edge.Protocol.Client;

/// <summary>
/// Writes a message shape (<see cref="IWireMessage"/>) as a payload into an <see cref="IBufferWriter{T}"/> in a client
/// encoding: the one place that picks the encoder. Thread-safe (the JSON writer is cached per thread).
/// </summary>
public static class MessageOutput
{
    // Parks the cached JSON writer between calls so it holds no reference to a caller's buffer.
    private static readonly ArrayBufferWriter<byte> Parked = new(1);

    [ThreadStatic]
    private static Utf8JsonWriter? _json;

    /// <summary>Writes <paramref name="message"/> in MessagePack, or in JSON for <see cref="ClientEncoding.Json"/>.</summary>
    public static void Write<TMessage>(IBufferWriter<byte> output, ClientEncoding encoding, TMessage message)
        where TMessage : struct, IWireMessage, allows ref struct
    {
        ArgumentNullException.ThrowIfNull(output);
        if (encoding == ClientEncoding.MessagePack)
        {
            var binary = new MessagePackMessageEncoder(output);
            message.WriteTo(ref binary);
            binary.Flush();
            return;
        }

        WriteJson(output, message);
    }

    /// <summary>Writes <paramref name="message"/> as JSON (the socket.io dialect's payloads, whatever the client encoding).</summary>
    public static void WriteJson<TMessage>(IBufferWriter<byte> output, TMessage message)
        where TMessage : struct, IWireMessage, allows ref struct
    {
        ArgumentNullException.ThrowIfNull(output);
        var writer = _json ??= new Utf8JsonWriter(output, WireNames.JsonOptions);
        writer.Reset(output);
        try
        {
            var text = new JsonMessageEncoder(writer);
            message.WriteTo(ref text);
            writer.Flush();
        }
        finally
        {
            writer.Reset(Parked);
        }
    }
}
