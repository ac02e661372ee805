using System.Net;

namespace Edge.Server.Metrics;

/// <summary>
/// Who may read <c>/metrics</c> (configuration section <c>Metrics</c>). By default it is served on the server port to
/// anyone who reaches it, and it names every tenant: set <see cref="Port"/> to serve it (with <c>/healthz</c> and
/// <c>/readyz</c>) on a separate listener, by default on 127.0.0.1, which the server port then no longer answers;
/// and/or <see cref="BearerToken"/> / <see cref="BearerTokenFile"/> to require <c>Authorization: Bearer</c>.
/// </summary>
public sealed class MetricsOptions
{
    /// <summary>Shortest accepted bearer token, in characters: a guessable token protects nothing.</summary>
    public const int MinBearerTokenLength = 16;

    /// <summary>A separate port for /metrics, /healthz and /readyz (0: OS-chosen); unset: they stay on the server port.</summary>
    public int? Port { get; set; }

    /// <summary>The address the separate metrics listener binds to (only with <see cref="Port"/>).</summary>
    public string BindAddress { get; set; } = "127.0.0.1";

    /// <summary>When set, <c>/metrics</c> answers 401 without <c>Authorization: Bearer</c> and this token.</summary>
    public string? BearerToken { get; set; }

    /// <summary>A file holding the bearer token (first line, trimmed), instead of <see cref="BearerToken"/>; read at start.</summary>
    public string? BearerTokenFile { get; set; }

    /// <summary>Adds every problem to <paramref name="errors"/>; <paramref name="serverPort"/> is the main port, which the metrics port must differ from.</summary>
    public void Validate(List<string> errors, int serverPort)
    {
        if (Port is { } port)
        {
            if (port is < 0 or > 65535)
            {
                errors.Add($"Metrics:Port must be between 0 and 65535 (got {port}).");
            }
            else if (port != 0 && port == serverPort)
            {
                errors.Add($"Metrics:Port must differ from Port (both {port}).");
            }
        }

        if (!IPAddress.TryParse(BindAddress, out _))
        {
            errors.Add($"Metrics:BindAddress must be an IP address (got '{BindAddress}').");
        }

        if (!string.IsNullOrEmpty(BearerToken) && !string.IsNullOrEmpty(BearerTokenFile))
        {
            errors.Add("Metrics:BearerToken and Metrics:BearerTokenFile are both set: use one.");
            return;
        }

        if (!string.IsNullOrEmpty(BearerToken))
        {
            CheckToken(BearerToken, "Metrics:BearerToken", errors);
        }

        if (!string.IsNullOrEmpty(BearerTokenFile))
        {
            var token = ReadTokenFile(BearerTokenFile, errors);
            if (token is not null)
            {
                CheckToken(token, $"Metrics:BearerTokenFile ({BearerTokenFile})", errors);
            }
        }
    }

    /// <summary>The configured token (from the file when one is set), or null when /metrics needs none.</summary>
    public string? ResolveBearerToken()
    {
        if (!string.IsNullOrEmpty(BearerToken))
        {
            return BearerToken;
        }

        return string.IsNullOrEmpty(BearerTokenFile) ? null : ReadTokenFile(BearerTokenFile, []);
    }

    private static string? ReadTokenFile(string path, List<string> errors)
    {
        try
        {
            using var reader = new StreamReader(path);
            return (reader.ReadLine() ?? string.Empty).Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            errors.Add($"Metrics:BearerTokenFile: cannot read '{path}': {e.Message}");
            return null;
        }
    }

    private static void CheckToken(string token, string name, List<string> errors)
    {
        if (token.Length < MinBearerTokenLength)
        {
            errors.Add($"{name}: the token must be at least {MinBearerTokenLength} characters.");
            return;
        }

        // RFC 6750 b64token characters, so it can travel in an Authorization header as is.
        foreach (var c in token)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~' or '+' or '/' or '='))
            {
                errors.Add($"{name}: the token may hold only letters, digits and - . _ ~ + / =");
                return;
            }
        }
    }
}
