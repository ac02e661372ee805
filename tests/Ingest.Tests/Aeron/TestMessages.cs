using System.Buffers.Binary;

namespace Edge.Ingest.Tests.Aeron;

/// <summary>Self-checking test messages: an 8-byte sequence number, then bytes derived from it and the length.</summary>
internal static class TestMessages
{
    public const int MinLength = 8;

    public static void Fill(Span<byte> message, long sequence)
    {
        BinaryPrimitives.WriteInt64LittleEndian(message, sequence);
        for (var i = MinLength; i < message.Length; i++)
        {
            message[i] = (byte)(sequence + (i * 7) + message.Length);
        }
    }

    public static bool TryCheck(ReadOnlySpan<byte> message, out long sequence)
    {
        sequence = -1;
        if (message.Length < MinLength)
        {
            return false;
        }

        sequence = BinaryPrimitives.ReadInt64LittleEndian(message);
        for (var i = MinLength; i < message.Length; i++)
        {
            if (message[i] != (byte)(sequence + (i * 7) + message.Length))
            {
                return false;
            }
        }

        return true;
    }
}
