namespace Edge.Protocol.Tests;

/// <summary>Golden vectors are written as spaced hex (as in docs/protocol.md); this turns them into bytes and back.</summary>
internal static class Hex
{
    public static byte[] Bytes(string spacedHex)
    {
        var compact = new System.Text.StringBuilder(spacedHex.Length);
        foreach (var c in spacedHex)
        {
            if (!char.IsWhiteSpace(c))
            {
                compact.Append(c);
            }
        }

        return Convert.FromHexString(compact.ToString());
    }

    public static string Text(ReadOnlySpan<byte> bytes) => Convert.ToHexString(bytes).ToLowerInvariant();

    public static string Spaced(ReadOnlySpan<byte> bytes)
    {
        var sb = new System.Text.StringBuilder(bytes.Length * 3);
        foreach (var b in bytes)
        {
            if (sb.Length > 0)
            {
                sb.Append(' ');
            }

            sb.Append(b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
        }

        return sb.ToString();
    }
}
