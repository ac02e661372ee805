using Microsoft.Extensions.Logging;

namespace Edge.Server.Configuration;

/// <summary>
/// How Edge logs: <c>auto</c> (default: text lines on a terminal, JSON when stdout goes to a file, pipe or journal),
/// <c>json</c> (one JSON object per line) or <c>text</c>, and the minimum level.
/// </summary>
public sealed class LoggingOptions
{
    public string Format { get; set; } = "auto";

    public LogLevel Level { get; set; } = LogLevel.Information;

    public List<string> Validate() =>
        Format is "auto" or "json" or "text" ? [] : [$"Log:Format must be auto, json or text (got '{Format}')."];

    /// <summary>Whether to log text lines: <c>text</c>, or <c>auto</c> with stdout (where the log goes) on a terminal.</summary>
    public bool UsesText(bool stdoutIsTerminal) =>
        Format == "text" || (Format == "auto" && stdoutIsTerminal);
}
