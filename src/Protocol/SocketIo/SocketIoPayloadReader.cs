using System.Text;
using System.Text.Json;
using Edge.Protocol.Client;

namespace Edge.Protocol.SocketIo;

/// <summary>
/// Reads the JSON of the socket.io packets Edge accepts: the CONNECT auth payload (<c>{ token }</c>) and an EVENT's
/// argument array (<c>["subscribe", { symbols: [...], maxRate }]</c>). Bounded depth, no reflection; hostile input is
/// answered with an error text, never an exception.
/// </summary>
public static class SocketIoPayloadReader
{
    private const int MaxDepth = 8;
    private static readonly JsonReaderOptions Options = new() { MaxDepth = MaxDepth };

    /// <summary>
    /// The token of a CONNECT's auth payload: null data or an object without <c>token</c> gives null (no token there);
    /// a token that is not a string, or data that is not one JSON object, is an error.
    /// </summary>
    public static string? ReadConnectToken(ReadOnlySpan<byte> data, out string? token)
    {
        token = null;
        if (data.IsEmpty)
        {
            return null;
        }

        try
        {
            var reader = new Utf8JsonReader(data, Options);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return "the CONNECT payload must be an object";
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isToken = reader.ValueTextEquals("token"u8);
                reader.Read();
                if (isToken)
                {
                    if (reader.TokenType == JsonTokenType.Null)
                    {
                        continue;
                    }

                    if (reader.TokenType != JsonTokenType.String || token is not null)
                    {
                        return "auth.token must be one string";
                    }

                    token = reader.GetString();
                    continue;
                }

                reader.Skip();
            }

            return reader.TokenType == JsonTokenType.EndObject && !reader.Read() ? null : "the CONNECT payload must be one object";
        }
        catch (JsonException)
        {
            return "the CONNECT payload is not valid JSON";
        }
    }

    /// <summary>
    /// Reads an EVENT's data: a JSON array starting with the event name; the second element, when an object, may hold
    /// <c>symbols</c> (an array of strings, or one string) and <c>maxRate</c>. Null when read, else why not.
    /// </summary>
    public static string? ReadEvent(ReadOnlySpan<byte> data, int maxSymbols, out SocketIoEvent? result)
    {
        result = null;
        try
        {
            var reader = new Utf8JsonReader(data, Options);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray)
            {
                return "an EVENT's data must be an array";
            }

            if (!reader.Read() || reader.TokenType != JsonTokenType.String)
            {
                return "an EVENT's first element must be its name";
            }

            var name = reader.GetString()!;
            var symbols = new List<string>();
            var errors = new List<SymbolError>();
            int? maxRate = null;
            var argument = 0;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                argument++;
                if (argument == 1 && reader.TokenType == JsonTokenType.StartObject)
                {
                    var error = ReadSubscription(ref reader, maxSymbols, symbols, errors, ref maxRate);
                    if (error is not null)
                    {
                        return error;
                    }

                    continue;
                }

                reader.Skip();
            }

            if (reader.TokenType != JsonTokenType.EndArray || reader.Read())
            {
                return "an EVENT's data must be one array";
            }

            result = new SocketIoEvent(name, symbols, errors, maxRate);
            return null;
        }
        catch (JsonException)
        {
            return "an EVENT's data is not valid JSON";
        }
        catch (InvalidOperationException)
        {
            return "an EVENT's data is not valid JSON";
        }
    }

    private static string? ReadSubscription(ref Utf8JsonReader reader, int maxSymbols, List<string> symbols, List<SymbolError> errors, ref int? maxRate)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("symbols"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.String)
                {
                    AddSymbol(ref reader, symbols, errors);
                }
                else if (reader.TokenType == JsonTokenType.StartArray)
                {
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    {
                        if (reader.TokenType != JsonTokenType.String)
                        {
                            return "symbols must be strings";
                        }

                        if (symbols.Count + errors.Count >= maxSymbols)
                        {
                            return $"at most {maxSymbols} symbols per request";
                        }

                        AddSymbol(ref reader, symbols, errors);
                    }
                }
                else
                {
                    return "symbols must be an array of strings";
                }
            }
            else if (reader.ValueTextEquals("maxRate"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.Null)
                {
                    continue;
                }

                if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out var rate) || rate < 0)
                {
                    return "maxRate must be a non-negative integer";
                }

                maxRate = rate;
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return null;
    }

    private static void AddSymbol(ref Utf8JsonReader reader, List<string> symbols, List<SymbolError> errors)
    {
        var symbol = reader.GetString()!;
        var utf8 = Encoding.UTF8.GetBytes(symbol);
        if (SymbolRules.CheckSymbol(utf8) != TextCheck.Ok)
        {
            errors.Add(new SymbolError(symbol, ErrorCode.InvalidSymbol, "not a valid symbol"));
            return;
        }

        if (!symbols.Contains(symbol))
        {
            symbols.Add(symbol);
        }
    }
}
