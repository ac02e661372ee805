using System.Buffers.Binary;

namespace Edge.Protocol.Client;

/// <summary>
/// Checks, without exceptions and without recursion, that a buffer holds exactly one well-formed
/// MessagePack value nested at most <c>maxDepth</c> deep. After it passes, a
/// <see cref="MessagePack.MessagePackReader"/> that checks each token's type before reading it
/// cannot run off the end, and its recursive Skip is bounded: garbage and floods cost a linear scan, not an exception.
/// </summary>
internal static class MessagePackStructure
{
    public static bool IsWellFormed(ReadOnlySpan<byte> data, int maxDepth)
    {
        // remaining[d]: values still to read in the container open at depth d (depth 0 is the root).
        Span<long> remaining = stackalloc long[maxDepth + 1];
        var depth = 0;
        remaining[0] = 1;
        var position = 0;
        while (true)
        {
            while (remaining[depth] == 0)
            {
                if (depth == 0)
                {
                    return position == data.Length;
                }

                depth--;
            }

            remaining[depth]--;
            if (position >= data.Length)
            {
                return false;
            }

            var code = data[position++];
            long skip; // payload bytes after the code and its length field
            long children = 0;
            switch (code)
            {
                case <= 0x7f or >= 0xe0 or 0xc0 or 0xc2 or 0xc3:
                    skip = 0;
                    break;
                case <= 0x8f:
                    children = 2L * (code & 0x0f);
                    skip = 0;
                    break;
                case <= 0x9f:
                    children = code & 0x0f;
                    skip = 0;
                    break;
                case <= 0xbf:
                    skip = code & 0x1f;
                    break;
                case 0xc4 or 0xd9:
                    if (!TryReadLength(data, ref position, 1, out skip))
                    {
                        return false;
                    }

                    break;
                case 0xc5 or 0xda:
                    if (!TryReadLength(data, ref position, 2, out skip))
                    {
                        return false;
                    }

                    break;
                case 0xc6 or 0xdb:
                    if (!TryReadLength(data, ref position, 4, out skip))
                    {
                        return false;
                    }

                    break;
                case 0xc7 or 0xc8 or 0xc9:
                    if (!TryReadLength(data, ref position, code == 0xc7 ? 1 : code == 0xc8 ? 2 : 4, out skip))
                    {
                        return false;
                    }

                    skip++; // the extension type byte
                    break;
                case 0xca or 0xce or 0xd2:
                    skip = 4;
                    break;
                case 0xcb or 0xcf or 0xd3:
                    skip = 8;
                    break;
                case 0xcc or 0xd0:
                    skip = 1;
                    break;
                case 0xcd or 0xd1:
                    skip = 2;
                    break;
                case >= 0xd4 and <= 0xd8:
                    skip = 1 + (1 << (code - 0xd4)); // fixext 1/2/4/8/16 plus the type byte
                    break;
                case 0xdc or 0xdd or 0xde or 0xdf:
                    if (!TryReadLength(data, ref position, code is 0xdc or 0xde ? 2 : 4, out children))
                    {
                        return false;
                    }

                    if (code >= 0xde)
                    {
                        children *= 2;
                    }

                    skip = 0;
                    break;
                default: // 0xc1, never used
                    return false;
            }

            if (skip > data.Length - position)
            {
                return false;
            }

            position += (int)skip;
            if (children > 0)
            {
                // Every value takes at least one byte: a count beyond what is left cannot be honest.
                if (children > data.Length - position || depth == maxDepth)
                {
                    return false;
                }

                remaining[++depth] = children;
            }
        }
    }

    private static bool TryReadLength(ReadOnlySpan<byte> data, ref int position, int width, out long length)
    {
        length = 0;
        if (width > data.Length - position)
        {
            return false;
        }

        var field = data.Slice(position, width);
        length = width switch
        {
            1 => field[0],
            2 => BinaryPrimitives.ReadUInt16BigEndian(field),
            _ => BinaryPrimitives.ReadUInt32BigEndian(field),
        };
        position += width;
        return true;
    }
}
