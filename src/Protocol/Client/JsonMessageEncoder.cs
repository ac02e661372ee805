using System.Text.Json;

namespace Edge.Protocol.Client;

/// <summary>
/// JSON over a <see cref="Utf8JsonWriter"/> set up with <see cref="WireNames.JsonOptions"/>: keys and constant names are
/// copied pre-escaped; numbers are written as Utf8JsonWriter writes them (shortest round-trip doubles). The owner of the
/// writer flushes it.
/// </summary>
public readonly struct JsonMessageEncoder : IMessageEncoder
{
    private readonly Utf8JsonWriter _writer;

    public JsonMessageEncoder(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        _writer = writer;
    }

    public void StartMap(int count) => _writer.WriteStartObject();

    public void EndMap() => _writer.WriteEndObject();

    public void StartArray(int count) => _writer.WriteStartArray();

    public void EndArray() => _writer.WriteEndArray();

    public void Key(WireKey key) => _writer.WritePropertyName(key.Json);

    public void Name(WireKey value) => _writer.WriteStringValue(value.Json);

    public void String(string value) => _writer.WriteStringValue(value);

    public void String(ReadOnlySpan<byte> utf8) => _writer.WriteStringValue(utf8);

    public void Int64(long value) => _writer.WriteNumberValue(value);

    public void UInt64(ulong value) => _writer.WriteNumberValue(value);

    public void Float64(double value) => _writer.WriteNumberValue(value);
}
