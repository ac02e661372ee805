using System.Text.Json;
using System.Text.Json.Nodes;
using Edge.Server.Configuration;

namespace Edge.Server.Cli;

/// <summary>
/// Renders the bound options as indented JSON (the shape of appsettings.json), every default included, with the
/// values of secret keys replaced by <see cref="Mask"/>. Source-generated serialization: AOT safe.
/// </summary>
public static class EffectiveConfiguration
{
    public const string Mask = "***";

    /// <summary>Property names whose values are secrets: HMAC secrets and inline key material.</summary>
    private static readonly string[] SecretNames = ["Secret", "Pem", "Password", "Token"];

    public static string Render(EdgeOptions options)
    {
        var node = JsonSerializer.SerializeToNode(options, EdgeOptionsJsonContext.Default.EdgeOptions)!;
        MaskSecrets(node);
        return node.ToJsonString(EdgeOptionsJsonContext.Default.Options);
    }

    private static void MaskSecrets(JsonNode node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var name in obj.Select(static p => p.Key).ToList())
                {
                    var value = obj[name];
                    if (IsSecret(name) && value is JsonValue && value.GetValueKind() == JsonValueKind.String)
                    {
                        obj[name] = Mask;
                    }
                    else if (value is not null)
                    {
                        MaskSecrets(value);
                    }
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    if (item is not null)
                    {
                        MaskSecrets(item);
                    }
                }

                break;
        }
    }

    private static bool IsSecret(string name)
    {
        foreach (var secret in SecretNames)
        {
            if (name.EndsWith(secret, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
