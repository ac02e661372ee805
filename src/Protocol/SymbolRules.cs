using System.Buffers;
using System.Text.Unicode;

namespace Edge.Protocol;

/// <summary>
/// The one rule for names that cross a process boundary (symbols and sources, in the ingest
/// message and in client requests): well-formed UTF-8, 1..limit bytes, no control characters.
/// Control characters are refused because they are never part of a real instrument or venue name
/// and would only end up in logs and metric labels.
/// </summary>
public static class SymbolRules
{
    /// <summary>Maximum symbol length in UTF-8 bytes.</summary>
    public const int MaxSymbolBytes = 32;

    /// <summary>Maximum source (venue) name length in UTF-8 bytes.</summary>
    public const int MaxSourceBytes = 16;

    private static readonly SearchValues<byte> ControlBytes = SearchValues.Create(
        "\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u0009\u000A\u000B\u000C\u000D\u000E\u000F"u8
        + "\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001A\u001B\u001C\u001D\u001E\u001F\u007F"u8);

    public static TextCheck CheckSymbol(ReadOnlySpan<byte> utf8) => Check(utf8, MaxSymbolBytes);

    public static TextCheck CheckSource(ReadOnlySpan<byte> utf8) => Check(utf8, MaxSourceBytes);

    /// <summary>Checks <paramref name="utf8"/> against the rule with the given byte limit.</summary>
    public static TextCheck Check(ReadOnlySpan<byte> utf8, int maxBytes)
    {
        if (utf8.IsEmpty)
        {
            return TextCheck.Empty;
        }

        if (utf8.Length > maxBytes)
        {
            return TextCheck.TooLong;
        }

        // Fast path: printable ASCII, which nearly every real symbol and venue name is.
        if (!utf8.ContainsAnyExceptInRange((byte)0x20, (byte)0x7E))
        {
            return TextCheck.Ok;
        }

        if (!Utf8.IsValid(utf8))
        {
            return TextCheck.InvalidUtf8;
        }

        // Multi-byte UTF-8 sequences only contain bytes >= 0x80, so a byte scan is exact.
        return utf8.ContainsAny(ControlBytes) ? TextCheck.ControlCharacter : TextCheck.Ok;
    }
}
