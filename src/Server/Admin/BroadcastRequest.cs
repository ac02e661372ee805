using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Json;

namespace Edge.Server.Admin;

/// <summary>
/// The body of <c>POST /admin/broadcast</c>: <c>{"tenant":"acme","message":"text"}</c>. Both fields are required
/// non-empty strings; the message is at most <see cref="MaxMessageBytes"/> bytes of UTF-8. Unknown keys are ignored,
/// a key given twice is refused. Parsed with <see cref="Utf8JsonReader"/> (no reflection, AOT-safe).
/// </summary>
public sealed class BroadcastRequest
{
    /// <summary>The longest message, in UTF-8 bytes (1 KiB).</summary>
    public const int MaxMessageBytes = 1024;

    private BroadcastRequest(string tenant, string message)
    {
        Tenant = tenant;
        Message = message;
    }

    public string Tenant { get; }

    public string Message { get; }

    /// <summary>Parses <paramref name="body"/>; on failure <paramref name="error"/> says what is wrong (constant text, never the input).</summary>
    public static bool TryParse(ReadOnlySpan<byte> body, [NotNullWhen(true)] out BroadcastRequest? request, [NotNullWhen(false)] out string? error)
    {
        request = null;
        string? tenant = null;
        string? message = null;
        try
        {
            var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 16 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                error = "the body must be a JSON object";
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isTenant = reader.ValueTextEquals("tenant"u8);
                var isMessage = !isTenant && reader.ValueTextEquals("message"u8);
                reader.Read();
                if (!isTenant && !isMessage)
                {
                    reader.Skip();
                    continue;
                }

                if (reader.TokenType != JsonTokenType.String)
                {
                    error = isTenant ? "tenant must be a string" : "message must be a string";
                    return false;
                }

                if ((isTenant ? tenant : message) is not null)
                {
                    error = isTenant ? "tenant is given twice" : "message is given twice";
                    return false;
                }

                var value = reader.GetString()!;
                if (isTenant)
                {
                    tenant = value;
                }
                else
                {
                    message = value;
                }
            }

            // Anything but whitespace after the object makes this Read throw (one JSON value per body).
            if (reader.Read())
            {
                error = "malformed JSON";
                return false;
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // InvalidOperationException: a string that is not valid UTF-8 once unescaped.
            error = "malformed JSON";
            return false;
        }

        if (string.IsNullOrEmpty(tenant))
        {
            error = "tenant is required";
            return false;
        }

        if (string.IsNullOrEmpty(message))
        {
            error = "message is required";
            return false;
        }

        if (Encoding.UTF8.GetByteCount(message) > MaxMessageBytes)
        {
            error = $"message is over {MaxMessageBytes} bytes of UTF-8";
            return false;
        }

        request = new BroadcastRequest(tenant, message);
        error = null;
        return true;
    }
}
