using System.Globalization;
using System.Text;

namespace Edge.Protocol.Client;

/// <summary>
/// JSON straight into a span, for the hot path: the bytes <see cref="JsonMessageEncoder"/> (Utf8JsonWriter with
/// <see cref="WireNames.JsonOptions"/>) writes for the protocol's names (checked UTF-8 without control characters,
/// as ingest delivers them) and numbers (shortest round-trip doubles, invariant culture). Strings
/// escape only what JSON requires: '"', '\' and control bytes; a character outside the Basic Multilingual Plane
/// stays UTF-8 where Utf8JsonWriter writes a \uXXXX surrogate pair (the same string to a JSON reader; the hot path
/// wrote it so before). The caller provides room for the whole message.
/// </summary>
public ref struct SpanJsonEncoder : IMessageEncoder
{
    private readonly Span<byte> _destination;
    private int _position;
    private bool _comma;

    public SpanJsonEncoder(Span<byte> destination)
    {
        _destination = destination;
    }

    /// <summary>Bytes written so far.</summary>
    public readonly int Position => _position;

    public void StartMap(int count) => Open((byte)'{');

    public void EndMap() => Close((byte)'}');

    public void StartArray(int count) => Open((byte)'[');

    public void EndArray() => Close((byte)']');

    public void Key(WireKey key)
    {
        Separate();
        Constant(key.PackedJsonPropertyName, key.JsonPropertyName);
        _comma = false;
    }

    public void Name(WireKey value)
    {
        Separate();
        Constant(value.PackedJsonString, value.JsonString);
        _comma = true;
    }

    public void String(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        String(Encoding.UTF8.GetBytes(value)); // not on the hot path, which has UTF-8 names
    }

    public void String(ReadOnlySpan<byte> utf8)
    {
        Separate();
        _destination[_position++] = (byte)'"';
        Escaped(utf8);
        _destination[_position++] = (byte)'"';
        _comma = true;
    }

    public void Int64(long value) => Number(value);

    public void UInt64(ulong value) => Number(value);

    /// <summary>Shortest round-trip digits, invariant culture: what Utf8JsonWriter writes for a double.</summary>
    public void Float64(double value) => Number(value);

    private void Number<T>(T value)
        where T : struct, IUtf8SpanFormattable
    {
        Separate();
        value.TryFormat(_destination[_position..], out var written, default, CultureInfo.InvariantCulture);
        _position += written;
        _comma = true;
    }

    private void Open(byte bracket)
    {
        Separate();
        _destination[_position++] = bracket;
        _comma = false;
    }

    private void Close(byte bracket)
    {
        _destination[_position++] = bracket;
        _comma = true;
    }

    private void Separate()
    {
        if (_comma)
        {
            _destination[_position++] = (byte)',';
        }
    }

    /// <summary>
    /// The string body: usually a plain copy; '"' and '\' are escaped, \b \t \n \f \r take their short forms and any
    /// other control byte becomes \u00XX, as Utf8JsonWriter writes them.
    /// </summary>
    private void Escaped(ReadOnlySpan<byte> utf8)
    {
        if (utf8.IndexOfAny(JsonEscapes.Bytes) < 0)
        {
            Raw(utf8);
            return;
        }

        foreach (var b in utf8)
        {
            if (b == (byte)'"' || b == (byte)'\\')
            {
                _destination[_position++] = (byte)'\\';
                _destination[_position++] = b;
            }
            else if (b < 0x20 && ShortEscape(b) is var letter && letter != 0)
            {
                _destination[_position++] = (byte)'\\';
                _destination[_position++] = letter;
            }
            else if (b < 0x20)
            {
                "\\u00"u8.CopyTo(_destination[_position..]);
                _destination[_position + 4] = (byte)"0123456789ABCDEF"[b >> 4];
                _destination[_position + 5] = (byte)"0123456789ABCDEF"[b & 0xF];
                _position += 6;
            }
            else
            {
                _destination[_position++] = b;
            }
        }
    }

    private static byte ShortEscape(byte b) => b switch
    {
        0x08 => (byte)'b',
        0x09 => (byte)'t',
        0x0A => (byte)'n',
        0x0C => (byte)'f',
        0x0D => (byte)'r',
        _ => 0,
    };

    private void Constant(in PackedWireBytes packed, byte[] bytes)
    {
        if (packed.TryWrite(_destination, _position))
        {
            _position += packed.Length;
            return;
        }

        Raw(bytes);
    }

    private void Raw(scoped ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(_destination[_position..]);
        _position += bytes.Length;
    }
}
