using System.Buffers;
using System.Text;
using System.Text.Unicode;

namespace Edge.Protocol.WebSockets;

/// <summary>
/// Validates a text message's UTF-8 as its fragments arrive (RFC 6455 §8.1). A sequence cut by a
/// fragment boundary is carried into the next fragment; anything that can no longer become valid
/// fails at once ("fail fast"), not when the message ends. A mutable struct: keep it in a field,
/// one per connection, and do not copy it.
/// </summary>
public struct Utf8StreamValidator
{
    // Up to 3 bytes of an incomplete sequence, first byte lowest.
    private uint _pending;
    private int _pendingCount;

    /// <summary>True when the last fragment ended inside a multi-byte sequence.</summary>
    public readonly bool IsInsideSequence => _pendingCount != 0;

    /// <summary>Forgets any carried bytes (start of a new message).</summary>
    public void Reset()
    {
        _pending = 0;
        _pendingCount = 0;
    }

    /// <summary>
    /// Feeds the next fragment of a text message. Returns false as soon as the bytes seen so far
    /// cannot be valid UTF-8 (close with 1007), or when <paramref name="isFinal"/> and the message
    /// ends inside a sequence. After a final fragment the validator is ready for the next message.
    /// </summary>
    public bool Append(ReadOnlySpan<byte> fragment, bool isFinal)
    {
        if (_pendingCount != 0 && !CompletePending(ref fragment))
        {
            return false;
        }

        if (_pendingCount != 0)
        {
            // The whole fragment went into the carried sequence, which is still incomplete.
            return !isFinal || Fail();
        }

        var tailStart = IncompleteTailStart(fragment);
        if (!Utf8.IsValid(fragment[..tailStart]))
        {
            return Fail();
        }

        var tail = fragment[tailStart..];
        if (tail.IsEmpty)
        {
            return true;
        }

        if (isFinal || Rune.DecodeFromUtf8(tail, out _, out _) != OperationStatus.NeedMoreData)
        {
            return Fail();
        }

        for (var i = 0; i < tail.Length; i++)
        {
            _pending |= (uint)tail[i] << (8 * i);
        }

        _pendingCount = tail.Length;
        return true;
    }

    private bool CompletePending(ref ReadOnlySpan<byte> fragment)
    {
        Span<byte> sequence = stackalloc byte[4];
        for (var i = 0; i < _pendingCount; i++)
        {
            sequence[i] = (byte)(_pending >> (8 * i));
        }

        var take = Math.Min(SequenceLength(sequence[0]) - _pendingCount, fragment.Length);
        fragment[..take].CopyTo(sequence[_pendingCount..]);
        var length = _pendingCount + take;
        switch (Rune.DecodeFromUtf8(sequence[..length], out _, out var consumed))
        {
            case OperationStatus.Done when consumed == length:
                fragment = fragment[take..];
                Reset();
                return true;
            case OperationStatus.NeedMoreData:
                for (var i = _pendingCount; i < length; i++)
                {
                    _pending |= (uint)sequence[i] << (8 * i);
                }

                _pendingCount = length;
                fragment = default;
                return true;
            default:
                return Fail();
        }
    }

    /// <summary>Index where a multi-byte sequence starts that the fragment's end cuts short, or the length if none.</summary>
    private static int IncompleteTailStart(ReadOnlySpan<byte> fragment)
    {
        var stop = Math.Max(0, fragment.Length - 3);
        for (var i = fragment.Length - 1; i >= stop; i--)
        {
            var b = fragment[i];
            if ((b & 0xC0) != 0x80)
            {
                // A lead (or ASCII) byte: the tail is incomplete if its sequence runs past the end.
                var needed = SequenceLength(b);
                return needed > fragment.Length - i ? i : fragment.Length;
            }
        }

        return fragment.Length;
    }

    /// <summary>Sequence length announced by a lead byte; 1 for bytes that cannot lead one (left to the validator to refuse).</summary>
    private static int SequenceLength(byte lead) => lead switch
    {
        >= 0xC2 and <= 0xDF => 2,
        >= 0xE0 and <= 0xEF => 3,
        >= 0xF0 and <= 0xF4 => 4,
        _ => 1,
    };

    private bool Fail()
    {
        Reset();
        return false;
    }
}
