using System.Buffers;
using System.Text;
using System.Text.Json;
using MessagePack;

namespace Edge.Protocol.Client;

/// <summary>
/// One name on the wire (a map key or a constant string value such as <c>"price"</c>), encoded once, at startup, in
/// every form an encoder needs, so that writing it is a copy.
/// </summary>
public sealed class WireKey
{
    public WireKey(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Name = name;
        Utf8 = Encoding.UTF8.GetBytes(name);
        Json = JsonEncodedText.Encode(Utf8, WireNames.JsonOptions.Encoder);
        var buffer = new ArrayBufferWriter<byte>(Utf8.Length + 5);
        var writer = new MessagePackWriter(buffer);
        writer.WriteString(Utf8);
        writer.Flush();
        MessagePack = buffer.WrittenSpan.ToArray();
        var json = Json.EncodedUtf8Bytes;
        JsonString = [(byte)'"', .. json, (byte)'"'];
        JsonPropertyName = [(byte)'"', .. json, (byte)'"', (byte)':'];
        PackedMessagePack = new PackedWireBytes(MessagePack);
        PackedJsonString = new PackedWireBytes(JsonString);
        PackedJsonPropertyName = new PackedWireBytes(JsonPropertyName);
    }

    /// <summary>The name as text.</summary>
    public string Name { get; }

    /// <summary>The name's UTF-8 bytes, unquoted and unescaped.</summary>
    public byte[] Utf8 { get; }

    /// <summary>The MessagePack string, its str header included.</summary>
    public byte[] MessagePack { get; }

    /// <summary>The name JSON-escaped (without quotes), as Utf8JsonWriter writes it.</summary>
    public JsonEncodedText Json { get; }

    /// <summary>The name as a JSON string value, quoted: <c>"name"</c>.</summary>
    public byte[] JsonString { get; }

    /// <summary>The name as a JSON property name, quoted, with its colon: <c>"name":</c>.</summary>
    public byte[] JsonPropertyName { get; }

    internal PackedWireBytes PackedMessagePack { get; }

    internal PackedWireBytes PackedJsonString { get; }

    internal PackedWireBytes PackedJsonPropertyName { get; }

    public override string ToString() => Name;
}
