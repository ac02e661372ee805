using System.Buffers;
using MessagePack;

namespace Edge.Protocol.Client;

/// <summary>
/// MessagePack over <see cref="MessagePackWriter"/>: keys and constant names are copied pre-encoded, integers take their
/// smallest form, doubles are float64. Call <see cref="Flush"/> when the message is written.
/// </summary>
public ref struct MessagePackMessageEncoder : IMessageEncoder
{
    private MessagePackWriter _writer;

    public MessagePackMessageEncoder(IBufferWriter<byte> output)
    {
        _writer = new MessagePackWriter(output);
    }

    public void StartMap(int count) => _writer.WriteMapHeader(count);

    public readonly void EndMap()
    {
    }

    public void StartArray(int count) => _writer.WriteArrayHeader(count);

    public readonly void EndArray()
    {
    }

    public void Key(WireKey key) => _writer.WriteRaw(key.MessagePack);

    public void Name(WireKey value) => _writer.WriteRaw(value.MessagePack);

    public void String(string value) => _writer.Write(value);

    public void String(ReadOnlySpan<byte> utf8) => _writer.WriteString(utf8);

    public void Int64(long value) => _writer.Write(value);

    public void UInt64(ulong value) => _writer.Write(value);

    public void Float64(double value) => _writer.Write(value);

    /// <summary>Commits what was written to the output.</summary>
    public void Flush() => _writer.Flush();
}
