using Microsoft.Extensions.Logging;

namespace Edge.Server.Configuration;

/// <summary>How Edge logs: <c>json</c> (default, one JSON object per line) or <c>text</c>, and the minimum level.</summary>
public sealed class LoggingOptions
{
    public string Format { get; set; } = "json";

    public LogLevel Level { get; set; } = LogLevel.Information;

    public List<string> Validate() =>
        Format is "json" or "text" ? [] : [$"Log:Format must be json or text (got '{Format}')."];
}
