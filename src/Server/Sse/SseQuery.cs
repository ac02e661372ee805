using System.Globalization;
using System.Text;
using Edge.Protocol;
using Edge.Protocol.Client;
using Edge.Server.WebSockets;

namespace Edge.Server.Sse;

/// <summary>
/// The query of an SSE stream request: <c>symbols</c> (required, comma-separated, percent-encoding allowed),
/// <c>maxRate</c> (optional updates per second per symbol, a positive integer) and <c>lastEventId</c> (optional, the
/// last event id seen, for clients that cannot send the <c>Last-Event-ID</c> header). <c>token</c> is the
/// authentication's business; other parameters (cache busters) are ignored. Parsing never throws: a bad query gives a
/// 400 refusal that names the problem, never echoing more than a symbol.
/// </summary>
public sealed class SseQuery
{
    /// <summary>Longest accepted event id: the decimal form of a 64-bit per-symbol sequence.</summary>
    public const int MaxEventIdLength = 20;

    private SseQuery(string[] symbols, int? maxRate, string? lastEventId)
    {
        Symbols = symbols;
        MaxRate = maxRate;
        LastEventId = lastEventId;
    }

    /// <summary>The requested symbols, decoded, in order, without duplicates.</summary>
    public IReadOnlyList<string> Symbols { get; }

    public int? MaxRate { get; }

    /// <summary>The <c>lastEventId</c> parameter, when given (checked like the header).</summary>
    public string? LastEventId { get; }

    /// <summary>Parses <paramref name="query"/> (without the '?'); null and the query, or the refusal to answer with.</summary>
    public static WebSocketRefusal? TryParse(string query, int maxSymbols, out SseQuery? parsed)
    {
        parsed = null;
        string? symbolsValue = null;
        string? maxRateValue = null;
        string? lastEventId = null;
        foreach (var range in query.AsSpan().Split('&'))
        {
            var pair = query.AsSpan()[range];
            var equals = pair.IndexOf('=');
            var name = equals < 0 ? pair : pair[..equals];
            var value = equals < 0 ? string.Empty : pair[(equals + 1)..].ToString();
            if (name.SequenceEqual("symbols"))
            {
                if (symbolsValue is not null)
                {
                    return Bad("INVALID_QUERY", "'symbols' given more than once");
                }

                symbolsValue = value;
            }
            else if (name.SequenceEqual("maxRate"))
            {
                if (maxRateValue is not null)
                {
                    return Bad("INVALID_QUERY", "'maxRate' given more than once");
                }

                maxRateValue = value;
            }
            else if (name.SequenceEqual("lastEventId"))
            {
                if (lastEventId is not null)
                {
                    return Bad("INVALID_QUERY", "'lastEventId' given more than once");
                }

                lastEventId = value;
            }
        }

        if (string.IsNullOrEmpty(symbolsValue))
        {
            return Bad(ErrorCodes.InvalidSymbol, "'symbols' is required: a comma-separated list such as symbols=EUR/USD,BTC/USD");
        }

        int? maxRate = null;
        if (maxRateValue is not null)
        {
            if (!int.TryParse(maxRateValue, NumberStyles.None, CultureInfo.InvariantCulture, out var rate) || rate < 1)
            {
                return Bad("INVALID_MAX_RATE", "'maxRate' must be a positive integer (updates per second per symbol)");
            }

            maxRate = rate;
        }

        if (lastEventId is not null && !IsEventId(lastEventId))
        {
            return Bad("INVALID_LAST_EVENT_ID", "'lastEventId' must be an event id this server sent (decimal digits)");
        }

        var parts = symbolsValue.Split(',');
        if (parts.Length > maxSymbols)
        {
            return Bad(ErrorCodes.TooManySymbols, $"at most {maxSymbols} symbols per stream");
        }

        var symbols = new List<string>(parts.Length);
        foreach (var part in parts)
        {
            var symbol = Uri.UnescapeDataString(part);
            if (SymbolRules.CheckSymbol(Encoding.UTF8.GetBytes(symbol)) != TextCheck.Ok)
            {
                return Bad(ErrorCodes.InvalidSymbol, "each symbol must be 1 to 32 bytes of UTF-8 without control characters");
            }

            if (!symbols.Contains(symbol))
            {
                symbols.Add(symbol);
            }
        }

        parsed = new SseQuery([.. symbols], maxRate, lastEventId);
        return null;
    }

    /// <summary>True for an id Edge could have sent: 1 to 20 ASCII digits (a per-symbol sequence).</summary>
    public static bool IsEventId(string value)
    {
        if (value.Length is 0 or > MaxEventIdLength)
        {
            return false;
        }

        foreach (var c in value)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
        }

        return true;
    }

    private static WebSocketRefusal Bad(string code, string message) => new(400, code, message);
}
