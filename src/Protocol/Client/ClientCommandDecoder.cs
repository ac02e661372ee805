using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Json;
using MessagePack;

namespace Edge.Protocol.Client;

/// <summary>
/// Decodes client-to-server messages of protocol v1 from MessagePack (binary frames) or JSON
/// (text frames). Never throws on bad input: a refused message yields a
/// <see cref="ClientCommandError"/> to send back as an <c>error</c> message. Both encodings follow
/// one rule set (keys, types, limits), shared through <see cref="CommandFields"/>.
/// </summary>
public static class ClientCommandDecoder
{
    /// <summary>Deepest nesting accepted (the v1 messages need 2; unknown fields get some room).</summary>
    public const int MaxDepth = 8;

    private const int StackScratchBytes = 256;

    public static bool TryDecode(
        ClientEncoding encoding,
        ReadOnlyMemory<byte> message,
        ClientCommandLimits limits,
        [NotNullWhen(true)] out ClientCommand? command,
        out ClientCommandError error) =>
        encoding == ClientEncoding.Json
            ? TryDecodeJson(message.Span, limits, out command, out error)
            : TryDecodeMessagePack(message, limits, out command, out error);

    public static bool TryDecodeMessagePack(
        ReadOnlyMemory<byte> message, ClientCommandLimits limits, [NotNullWhen(true)] out ClientCommand? command, out ClientCommandError error)
    {
        command = null;
        if (TooLarge(message.Length, limits, out error))
        {
            return false;
        }

        var fields = default(CommandFields);

        // Checked up front so that the reader below never meets a truncated or absurd structure.
        if (!MessagePackStructure.IsWellFormed(message.Span, MaxDepth))
        {
            return fields.Fail("malformed MessagePack", out error);
        }

        var reader = new MessagePackReader(message);
        try
        {
            if (reader.NextMessagePackType != MessagePackType.Map)
            {
                return fields.Fail("a message must be a map", out error);
            }

            var count = reader.ReadMapHeader();
            for (var i = 0; i < count; i++)
            {
                if (reader.NextMessagePackType != MessagePackType.String || !reader.TryReadStringSpan(out var name))
                {
                    return fields.Fail("keys must be strings", out error);
                }

                var key = CommandFields.KeyOf(name);
                if (key == CommandFields.Key.Unknown)
                {
                    reader.Skip();
                    continue;
                }

                if (!fields.MarkSeen(key))
                {
                    return fields.Fail($"duplicate key '{Encoding.UTF8.GetString(name)}'", out error);
                }

                if (reader.TryReadNil())
                {
                    continue; // null reads as absent
                }

                var problem = key switch
                {
                    CommandFields.Key.Type => ReadType(ref reader, ref fields),
                    CommandFields.Key.Id => ReadId(ref reader, ref fields),
                    CommandFields.Key.Symbols => ReadSymbols(ref reader, ref fields, limits),
                    CommandFields.Key.MaxRate => ReadMaxRate(ref reader, ref fields),
                    _ => ReadToken(ref reader, ref fields),
                };
                if (problem is not null)
                {
                    return fields.Fail(problem, out error);
                }
            }
        }
        catch (Exception e) when (e is MessagePackSerializationException or EndOfStreamException or OverflowException)
        {
            // Not expected after the structure check; kept so that a reader surprise is still just a refusal.
            return fields.Fail("malformed MessagePack", out error);
        }

        return fields.Finish(limits, out command, out error);
    }

    public static bool TryDecodeJson(
        ReadOnlySpan<byte> message, ClientCommandLimits limits, [NotNullWhen(true)] out ClientCommand? command, out ClientCommandError error)
    {
        command = null;
        if (TooLarge(message.Length, limits, out error))
        {
            return false;
        }

        var fields = default(CommandFields);

        // Utf8JsonReader reports malformed JSON only by throwing; the cost is bounded by the server's
        // request rate limit (a flood is closed with 1008).
        scoped var reader = new Utf8JsonReader(message, new JsonReaderOptions { MaxDepth = MaxDepth });
        Span<byte> scratch = stackalloc byte[StackScratchBytes];
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return fields.Fail("a message must be a JSON object", out error);
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var key = CommandFields.KeyOf(Unescaped(ref reader, scratch));
                reader.Read();
                if (key == CommandFields.Key.Unknown)
                {
                    reader.Skip();
                    continue;
                }

                if (!fields.MarkSeen(key))
                {
                    return fields.Fail("duplicate key", out error);
                }

                if (reader.TokenType == JsonTokenType.Null)
                {
                    continue; // null reads as absent
                }

                var problem = key switch
                {
                    CommandFields.Key.Type => ReadType(ref reader, ref fields, scratch),
                    CommandFields.Key.Id => ReadId(ref reader, ref fields),
                    CommandFields.Key.Symbols => ReadSymbols(ref reader, ref fields, limits, scratch),
                    CommandFields.Key.MaxRate => ReadMaxRate(ref reader, ref fields),
                    _ => ReadToken(ref reader, ref fields),
                };
                if (problem is not null)
                {
                    return fields.Fail(problem, out error);
                }
            }

            if (reader.Read())
            {
                return fields.Fail("data after the JSON object", out error);
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return fields.Fail("malformed JSON", out error);
        }

        return fields.Finish(limits, out command, out error);
    }

    /// <summary>
    /// Reads only the top-level <c>id</c> of a message, for a reply to a command that is refused before it is decoded
    /// (rate limited): a linear scan that stops at the id, allocates nothing, and fails (false) on anything it cannot
    /// read, so a flood costs at most one pass over each message (bounded by <paramref name="maxMessageBytes"/>).
    /// </summary>
    public static bool TryReadId(ClientEncoding encoding, ReadOnlyMemory<byte> message, int maxMessageBytes, out long id)
    {
        id = 0;
        if (message.Length > maxMessageBytes)
        {
            return false;
        }

        return encoding == ClientEncoding.Json ? TryReadJsonId(message.Span, out id) : TryReadMessagePackId(message, out id);
    }

    private static bool TryReadMessagePackId(ReadOnlyMemory<byte> message, out long id)
    {
        id = 0;
        if (!MessagePackStructure.IsWellFormed(message.Span, MaxDepth))
        {
            return false;
        }

        var reader = new MessagePackReader(message);
        try
        {
            if (reader.NextMessagePackType != MessagePackType.Map)
            {
                return false;
            }

            var count = reader.ReadMapHeader();
            for (var i = 0; i < count; i++)
            {
                if (reader.NextMessagePackType != MessagePackType.String || !reader.TryReadStringSpan(out var name))
                {
                    return false;
                }

                if (CommandFields.KeyOf(name) != CommandFields.Key.Id)
                {
                    reader.Skip();
                    continue;
                }

                return TryReadInteger(ref reader, out id) && id >= 0 && id <= CommandFields.MaxId;
            }
        }
        catch (Exception e) when (e is MessagePackSerializationException or EndOfStreamException or OverflowException)
        {
            return false;
        }

        return false;
    }

    private static bool TryReadJsonId(ReadOnlySpan<byte> message, out long id)
    {
        id = 0;
        var reader = new Utf8JsonReader(message, new JsonReaderOptions { MaxDepth = MaxDepth });
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isId = reader.ValueTextEquals("id"u8);
                reader.Read();
                if (!isId)
                {
                    reader.Skip();
                    continue;
                }

                return reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out id) && id >= 0 && id <= CommandFields.MaxId;
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return false;
        }

        return false;
    }

    // ---- MessagePack fields: each returns null when fine, else the problem.

    private static string? ReadType(ref MessagePackReader reader, ref CommandFields fields)
    {
        if (reader.NextMessagePackType != MessagePackType.String || !reader.TryReadStringSpan(out var value))
        {
            return "'type' must be a string";
        }

        fields.SetType(value);
        return null;
    }

    private static string? ReadId(ref MessagePackReader reader, ref CommandFields fields)
    {
        if (!TryReadInteger(ref reader, out var id) || id < 0 || id > CommandFields.MaxId)
        {
            return "'id' must be an integer from 0 to 2^53-1";
        }

        fields.Id = id;
        return null;
    }

    private static string? ReadSymbols(ref MessagePackReader reader, ref CommandFields fields, ClientCommandLimits limits)
    {
        if (reader.NextMessagePackType != MessagePackType.Array)
        {
            return "'symbols' must be an array of strings";
        }

        var count = reader.ReadArrayHeader();
        for (var i = 0; i < count; i++)
        {
            if (reader.NextMessagePackType != MessagePackType.String || !reader.TryReadStringSpan(out var symbol))
            {
                return "'symbols' must be an array of strings";
            }

            fields.AddSymbol(symbol, limits.MaxSymbolsPerRequest);
        }

        return null;
    }

    private static string? ReadMaxRate(ref MessagePackReader reader, ref CommandFields fields)
    {
        if (!TryReadInteger(ref reader, out var rate) || rate < 1 || rate > int.MaxValue)
        {
            return "'maxRate' must be a positive integer";
        }

        fields.MaxRate = (int)rate;
        return null;
    }

    private static string? ReadToken(ref MessagePackReader reader, ref CommandFields fields)
    {
        if (reader.NextMessagePackType != MessagePackType.String || !reader.TryReadStringSpan(out var token) || token.IsEmpty)
        {
            return "'token' must be a non-empty string";
        }

        fields.Token = Encoding.UTF8.GetString(token);
        return null;
    }

    private static bool TryReadInteger(ref MessagePackReader reader, out long value)
    {
        value = 0;
        if (reader.NextMessagePackType != MessagePackType.Integer)
        {
            return false;
        }

        if (reader.NextCode == MessagePackCode.UInt64)
        {
            var unsigned = reader.ReadUInt64();
            value = unsigned > long.MaxValue ? -1 : (long)unsigned;
            return true;
        }

        value = reader.ReadInt64();
        return true;
    }

    // ---- JSON fields.

    private static string? ReadType(ref Utf8JsonReader reader, ref CommandFields fields, Span<byte> scratch)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            return "'type' must be a string";
        }

        fields.SetType(Unescaped(ref reader, scratch));
        return null;
    }

    private static string? ReadId(ref Utf8JsonReader reader, ref CommandFields fields)
    {
        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out var id) || id < 0 || id > CommandFields.MaxId)
        {
            return "'id' must be an integer from 0 to 2^53-1";
        }

        fields.Id = id;
        return null;
    }

    private static string? ReadSymbols(ref Utf8JsonReader reader, ref CommandFields fields, ClientCommandLimits limits, Span<byte> scratch)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return "'symbols' must be an array of strings";
        }

        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.String)
            {
                return "'symbols' must be an array of strings";
            }

            fields.AddSymbol(Unescaped(ref reader, scratch), limits.MaxSymbolsPerRequest);
        }

        return null;
    }

    private static string? ReadMaxRate(ref Utf8JsonReader reader, ref CommandFields fields)
    {
        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out var rate) || rate < 1)
        {
            return "'maxRate' must be a positive integer";
        }

        fields.MaxRate = rate;
        return null;
    }

    private static string? ReadToken(ref Utf8JsonReader reader, ref CommandFields fields)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            return "'token' must be a non-empty string";
        }

        var token = reader.GetString();
        if (string.IsNullOrEmpty(token))
        {
            return "'token' must be a non-empty string";
        }

        fields.Token = token;
        return null;
    }

    /// <summary>
    /// The current string or property name as UTF-8 without JSON escapes: the input itself when it
    /// has none, else unescaped into <paramref name="scratch"/> (or, for a long escaped string, a new array).
    /// </summary>
    private static ReadOnlySpan<byte> Unescaped(ref Utf8JsonReader reader, Span<byte> scratch)
    {
        if (!reader.ValueIsEscaped)
        {
            return reader.ValueSpan;
        }

        var buffer = reader.ValueSpan.Length <= scratch.Length ? scratch : new byte[reader.ValueSpan.Length];
        var length = reader.CopyString(buffer);
        return buffer[..length];
    }

    /// <summary>The size check both encodings start with (and the limits' null check).</summary>
    private static bool TooLarge(int length, ClientCommandLimits limits, out ClientCommandError error)
    {
        ArgumentNullException.ThrowIfNull(limits);
        if (length > limits.MaxMessageBytes)
        {
            error = new ClientCommandError(ErrorCode.MessageTooLarge, $"messages are limited to {limits.MaxMessageBytes} bytes", null);
            return true;
        }

        error = default;
        return false;
    }
}
