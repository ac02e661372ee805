using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Edge.EndToEnd.Tests.Support;

/// <summary>
/// HS256 tokens whose header and payload JSON are written by hand, signed with a running Edge's development key, so a
/// test can send what no token library writes: a member named twice, an <c>iat</c> in the future, an <c>exp</c> in the past.
/// </summary>
internal static class HandMadeToken
{
    public const string Header = """{"alg":"HS256","typ":"JWT","kid":"edge-dev"}""";

    /// <summary>The claims <see cref="RunningEdge"/>'s tokens carry, with <paramref name="exp"/> and anything in <paramref name="more"/> (JSON members, comma first).</summary>
    public static string Payload(long exp, string more = "") =>
        string.Create(CultureInfo.InvariantCulture, $$"""{"iss":"edge-tests","aud":"edge","sub":"trader-1","tenant":"acme","exp":{{exp}}{{more}}}""");

    public static string Sign(RunningEdge edge, string headerJson, string payloadJson)
    {
        var secret = Convert.FromBase64String(edge.Tokens.SecretBase64);
        var input = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(headerJson)) + "." + Base64Url.EncodeToString(Encoding.UTF8.GetBytes(payloadJson));
        return input + "." + Base64Url.EncodeToString(HMACSHA256.HashData(secret, Encoding.ASCII.GetBytes(input)));
    }

    /// <summary>A well-formed token with the standard header and <paramref name="payloadJson"/>.</summary>
    public static string Sign(RunningEdge edge, string payloadJson) => Sign(edge, Header, payloadJson);

    /// <summary>Unix seconds now, plus <paramref name="seconds"/>.</summary>
    public static long In(long seconds) => DateTimeOffset.UtcNow.ToUnixTimeSeconds() + seconds;
}
