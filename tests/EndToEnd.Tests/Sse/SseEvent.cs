namespace Edge.EndToEnd.Tests.Sse;

/// <summary>
/// One thing read from an event stream: an event (name, optional id, data), a <c>retry:</c> advice or a comment line.
/// </summary>
internal sealed record SseEvent(string? Event, string? Id, string? Data, int? Retry, string? Comment)
{
    public bool IsComment => Comment is not null && Event is null && Data is null;
}
