namespace Edge.Protocol.Client;

/// <summary>
/// The fields of a client message as they are read, in whatever order the map has them; turned
/// into a <see cref="ClientCommand"/> or a <see cref="ClientCommandError"/> once the map is done.
/// Shared by the MessagePack and JSON readers so both encodings obey the same rules.
/// </summary>
internal struct CommandFields
{
    public const long MaxId = (1L << 53) - 1;

    private int _seen;

    public ClientCommandType? Type;
    public string? UnknownType;
    public long? Id;
    public List<string>? Symbols;
    public List<SymbolError>? SymbolErrors;
    public int SymbolCount;
    public int? MaxRate;
    public string? Token;

    /// <summary>The keys v1 knows; anything else is skipped so that later versions can add fields.</summary>
    public enum Key
    {
        Unknown = 0,
        Type = 1,
        Id = 2,
        Symbols = 4,
        MaxRate = 8,
        Token = 16,
    }

    public static Key KeyOf(ReadOnlySpan<byte> name) =>
        name.SequenceEqual("type"u8) ? Key.Type
        : name.SequenceEqual("id"u8) ? Key.Id
        : name.SequenceEqual("symbols"u8) ? Key.Symbols
        : name.SequenceEqual("maxRate"u8) ? Key.MaxRate
        : name.SequenceEqual("token"u8) ? Key.Token
        : Key.Unknown;

    /// <summary>Marks a known key as seen; false when it was seen before (duplicate keys are refused).</summary>
    public bool MarkSeen(Key key)
    {
        if ((_seen & (int)key) != 0)
        {
            return false;
        }

        _seen |= (int)key;
        return true;
    }

    /// <summary>Records the <c>type</c> value; an unknown one is kept (shortened) for the UNKNOWN_TYPE message.</summary>
    public void SetType(ReadOnlySpan<byte> value)
    {
        Type = value.SequenceEqual("subscribe"u8) ? ClientCommandType.Subscribe
            : value.SequenceEqual("unsubscribe"u8) ? ClientCommandType.Unsubscribe
            : value.SequenceEqual("ping"u8) ? ClientCommandType.Ping
            : value.SequenceEqual("auth"u8) ? ClientCommandType.Auth
            : null;
        if (Type is null)
        {
            UnknownType = System.Text.Encoding.UTF8.GetString(value[..Math.Min(value.Length, 32)]);
        }
    }

    /// <summary>Adds one symbol of the request (UTF-8 as received), sorting it into valid ones and errors.</summary>
    public void AddSymbol(ReadOnlySpan<byte> utf8, int maxSymbols)
    {
        SymbolCount++;
        if (SymbolCount > maxSymbols)
        {
            return; // refused as a whole (TOO_MANY_SYMBOLS); keep reading only to find the id
        }

        var check = SymbolRules.CheckSymbol(utf8);
        var text = System.Text.Encoding.UTF8.GetString(utf8);
        if (check == TextCheck.Ok)
        {
            // A symbol named twice counts once (one ack entry, one snapshot price); a linear search is cheapest for
            // the at most maxSymbolsPerRequest short names of one request.
            Symbols ??= [];
            if (!Symbols.Contains(text))
            {
                Symbols.Add(text);
            }

            return;
        }

        var message = check switch
        {
            TextCheck.Empty => "symbol is empty",
            TextCheck.TooLong => "symbol is longer than 32 bytes",
            TextCheck.InvalidUtf8 => "symbol is not valid UTF-8",
            _ => "symbol contains a control character",
        };
        (SymbolErrors ??= []).Add(new SymbolError(text, ErrorCode.InvalidSymbol, message));
    }

    public readonly bool Finish(ClientCommandLimits limits, out ClientCommand? command, out ClientCommandError error)
    {
        command = null;
        error = default;
        if (UnknownType is not null)
        {
            error = new ClientCommandError(ErrorCode.UnknownType, $"unknown message type '{UnknownType}'", Id);
            return false;
        }

        if (Type is not { } type)
        {
            return Fail("missing 'type'", out error);
        }

        switch (type)
        {
            case ClientCommandType.Subscribe or ClientCommandType.Unsubscribe:
                if (Id is null)
                {
                    return Fail("missing 'id'", out error);
                }

                if ((_seen & (int)Key.Symbols) == 0)
                {
                    return Fail("missing 'symbols'", out error);
                }

                if (SymbolCount == 0)
                {
                    return Fail("'symbols' is empty", out error);
                }

                if (SymbolCount > limits.MaxSymbolsPerRequest)
                {
                    error = new ClientCommandError(
                        ErrorCode.TooManySymbols, $"at most {limits.MaxSymbolsPerRequest} symbols per request", Id);
                    return false;
                }

                command = new ClientCommand(
                    type, Id, Symbols?.ToArray(), SymbolErrors?.ToArray(), type == ClientCommandType.Subscribe ? MaxRate : null, null);
                return true;
            case ClientCommandType.Ping:
                if (Id is null)
                {
                    return Fail("missing 'id'", out error);
                }

                command = new ClientCommand(type, Id, null, null, null, null);
                return true;
            default:
                if (string.IsNullOrEmpty(Token))
                {
                    return Fail("missing 'token'", out error);
                }

                command = new ClientCommand(type, Id, null, null, null, Token);
                return true;
        }
    }

    public readonly bool Fail(string message, out ClientCommandError error)
    {
        error = new ClientCommandError(ErrorCode.InvalidMessage, message, Id);
        return false;
    }
}
