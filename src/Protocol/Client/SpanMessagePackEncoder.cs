using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text;

namespace Edge.Protocol.Client;

/// <summary>
/// MessagePack straight into a span, for the hot path: the same bytes as <see cref="MessagePackMessageEncoder"/>
/// (MessagePackWriter: smallest integer form, float64 doubles, smallest str/map/array headers), without its buffer
/// writer. The caller provides room for the whole message (a span index out of range throws).
/// </summary>
public ref struct SpanMessagePackEncoder : IMessageEncoder
{
    private readonly Span<byte> _destination;
    private int _position;

    public SpanMessagePackEncoder(Span<byte> destination)
    {
        _destination = destination;
    }

    /// <summary>Bytes written so far.</summary>
    public readonly int Position => _position;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void StartMap(int count) => Header(count, 0x80, 0xDE);

    public readonly void EndMap()
    {
    }

    public void StartArray(int count) => Header(count, 0x90, 0xDC);

    public readonly void EndArray()
    {
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Key(WireKey key) => Constant(key);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Name(WireKey value) => Constant(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void String(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var length = Encoding.UTF8.GetByteCount(value);
        StringHeader(length);
        _position += Encoding.UTF8.GetBytes(value, _destination[_position..]);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void String(ReadOnlySpan<byte> utf8)
    {
        StringHeader(utf8.Length);
        Raw(utf8);
    }

    public void Int64(long value)
    {
        if (value >= 0)
        {
            UInt64((ulong)value);
        }
        else if (value >= -32)
        {
            _destination[_position++] = unchecked((byte)value); // negative fixint
        }
        else if (value >= sbyte.MinValue)
        {
            _destination[_position] = 0xD0;
            _destination[_position + 1] = unchecked((byte)value);
            _position += 2;
        }
        else if (value >= short.MinValue)
        {
            _destination[_position] = 0xD1;
            BinaryPrimitives.WriteInt16BigEndian(_destination[(_position + 1)..], (short)value);
            _position += 3;
        }
        else if (value >= int.MinValue)
        {
            _destination[_position] = 0xD2;
            BinaryPrimitives.WriteInt32BigEndian(_destination[(_position + 1)..], (int)value);
            _position += 5;
        }
        else
        {
            _destination[_position] = 0xD3;
            BinaryPrimitives.WriteInt64BigEndian(_destination[(_position + 1)..], value);
            _position += 9;
        }
    }

    public void UInt64(ulong value)
    {
        if (value <= 0x7F)
        {
            _destination[_position++] = (byte)value; // positive fixint
        }
        else if (value <= byte.MaxValue)
        {
            _destination[_position] = 0xCC;
            _destination[_position + 1] = (byte)value;
            _position += 2;
        }
        else if (value <= ushort.MaxValue)
        {
            _destination[_position] = 0xCD;
            BinaryPrimitives.WriteUInt16BigEndian(_destination[(_position + 1)..], (ushort)value);
            _position += 3;
        }
        else if (value <= uint.MaxValue)
        {
            _destination[_position] = 0xCE;
            BinaryPrimitives.WriteUInt32BigEndian(_destination[(_position + 1)..], (uint)value);
            _position += 5;
        }
        else
        {
            _destination[_position] = 0xCF;
            BinaryPrimitives.WriteUInt64BigEndian(_destination[(_position + 1)..], value);
            _position += 9;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Float64(double value)
    {
        _destination[_position] = 0xCB;
        BinaryPrimitives.WriteDoubleBigEndian(_destination[(_position + 1)..], value);
        _position += 9;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void StringHeader(int length)
    {
        if (length <= 31)
        {
            _destination[_position++] = (byte)(0xA0 | length);
        }
        else if (length <= byte.MaxValue)
        {
            _destination[_position] = 0xD9;
            _destination[_position + 1] = (byte)length;
            _position += 2;
        }
        else
        {
            Header16Or32(length, 0xDA);
        }
    }

    /// <summary>A map or array header: the fix form up to 15, else the 16- or 32-bit form (<paramref name="code16"/>, +1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Header(int count, byte fix, byte code16)
    {
        if ((uint)count <= 15)
        {
            _destination[_position++] = (byte)(fix | count);
        }
        else
        {
            Header16Or32(count, code16);
        }
    }

    private void Header16Or32(int length, byte code16)
    {
        if ((uint)length <= ushort.MaxValue)
        {
            _destination[_position] = code16;
            BinaryPrimitives.WriteUInt16BigEndian(_destination[(_position + 1)..], (ushort)length);
            _position += 3;
        }
        else
        {
            _destination[_position] = (byte)(code16 + 1);
            BinaryPrimitives.WriteUInt32BigEndian(_destination[(_position + 1)..], (uint)length);
            _position += 5;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Constant(WireKey name)
    {
        var packed = name.PackedMessagePack;
        if (packed.TryWrite(_destination, _position))
        {
            _position += packed.Length;
            return;
        }

        Raw(name.MessagePack);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Raw(scoped ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(_destination[_position..]);
        _position += bytes.Length;
    }
}
