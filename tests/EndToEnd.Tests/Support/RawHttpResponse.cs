namespace Edge.EndToEnd.Tests.Support;

internal sealed record RawHttpResponse(int Status, IReadOnlyDictionary<string, string> Headers, string Body);
