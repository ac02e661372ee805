using System.Buffers;
using System.Buffers.Text;
using System.Text.Json;

namespace Edge.Server.Auth;

/// <summary>
/// Refuses JSON in which an object names the same member twice, at any depth, compared after unescaping
/// (<c>"alg"</c> and <c>"\u0061lg"</c> are the same name). RFC 8725 3.12 / RFC 7515 4: with duplicate members one
/// parser takes the first value and another the last (<c>"alg":"none","alg":"HS256"</c>), so a token's header and payload
/// must have none. One pass with <see cref="Utf8JsonReader"/> over stack buffers; objects with more than
/// <see cref="LinearLimit"/> members (no real token has them) are checked again with hash sets so the cost stays linear.
/// </summary>
internal static class UniqueJsonMembers
{
    /// <summary>Members per object compared pairwise; beyond this the hashed check runs.</summary>
    private const int LinearLimit = 64;
    private const int StackLimit = 1024;
    private const int MaxDepth = 32;

    private enum Outcome
    {
        Unique,
        Duplicate,
        Invalid,
        TooManyMembers,
    }

    /// <summary>True when the base64url <paramref name="encoded"/> segment is JSON without a duplicate member anywhere.</summary>
    public static bool InSegment(ReadOnlySpan<char> encoded)
    {
        var maxLength = Base64Url.GetMaxDecodedLength(encoded.Length);
        byte[]? rented = null;
        var buffer = maxLength <= StackLimit ? stackalloc byte[maxLength] : (rented = ArrayPool<byte>.Shared.Rent(maxLength));
        try
        {
            return Base64Url.DecodeFromChars(encoded, buffer, out _, out var written) == OperationStatus.Done
                && InJson(buffer[..written]);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>True when <paramref name="json"/> is one JSON value in which no object has a member name twice.</summary>
    public static bool InJson(ReadOnlySpan<byte> json)
    {
        // Unescaped names are never longer than their JSON text, and every member takes at least 4 bytes ("":0).
        byte[]? rentedNames = null;
        int[]? rentedEnds = null;
        var names = json.Length <= StackLimit ? stackalloc byte[StackLimit] : (rentedNames = ArrayPool<byte>.Shared.Rent(json.Length));
        var ends = json.Length <= StackLimit ? stackalloc int[StackLimit / 4] : (rentedEnds = ArrayPool<int>.Shared.Rent((json.Length / 4) + 1));
        try
        {
            var outcome = CheckLinear(json, names, ends);
            return outcome == Outcome.Unique || (outcome == Outcome.TooManyMembers && CheckHashed(json));
        }
        finally
        {
            if (rentedNames is not null)
            {
                ArrayPool<byte>.Shared.Return(rentedNames);
            }

            if (rentedEnds is not null)
            {
                ArrayPool<int>.Shared.Return(rentedEnds);
            }
        }
    }

    /// <summary>
    /// The names of the objects still open are kept back to back in <paramref name="names"/> (name i ends at
    /// <c>ends[i]</c>); an object's names are dropped when it ends, so each new name is compared with its siblings only.
    /// </summary>
    private static Outcome CheckLinear(ReadOnlySpan<byte> json, Span<byte> names, Span<int> ends)
    {
        Span<int> firstName = stackalloc int[MaxDepth + 1];
        var depth = 0;
        var count = 0;
        var used = 0;
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow, MaxDepth = MaxDepth });
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                        firstName[depth++] = count;
                        break;
                    case JsonTokenType.EndObject:
                        count = firstName[--depth];
                        used = count == 0 ? 0 : ends[count - 1];
                        break;
                    case JsonTokenType.PropertyName:
                        var length = reader.ValueIsEscaped ? reader.CopyString(names[used..]) : Copy(reader.ValueSpan, names[used..]);
                        var name = names.Slice(used, length);
                        var first = firstName[depth - 1];
                        if (count - first >= LinearLimit)
                        {
                            return Outcome.TooManyMembers;
                        }

                        for (var i = first; i < count; i++)
                        {
                            var start = i == 0 ? 0 : ends[i - 1];
                            if (name.SequenceEqual(names[start..ends[i]]))
                            {
                                return Outcome.Duplicate;
                            }
                        }

                        used += length;
                        ends[count++] = used;
                        break;
                }
            }

            return Outcome.Unique;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // InvalidOperationException: a name that is not valid UTF-8 once unescaped.
            return Outcome.Invalid;
        }
    }

    /// <summary>The rare path for objects with very many members: one hash set per open object.</summary>
    private static bool CheckHashed(ReadOnlySpan<byte> json)
    {
        var open = new Stack<HashSet<string>>();
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow, MaxDepth = MaxDepth });
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                        open.Push(new HashSet<string>(StringComparer.Ordinal));
                        break;
                    case JsonTokenType.EndObject:
                        open.Pop();
                        break;
                    case JsonTokenType.PropertyName:
                        if (!open.Peek().Add(reader.GetString()!))
                        {
                            return false;
                        }

                        break;
                }
            }

            return true;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return false;
        }
    }

    private static int Copy(ReadOnlySpan<byte> value, Span<byte> destination)
    {
        value.CopyTo(destination);
        return value.Length;
    }
}
