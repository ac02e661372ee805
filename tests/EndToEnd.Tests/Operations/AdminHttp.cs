using System.Net;
using System.Text;
using System.Text.Json;
using Edge.EndToEnd.Tests.Support;

namespace Edge.EndToEnd.Tests.Operations;

/// <summary>Requests to the operator endpoint over a raw socket, so every header and body byte is the test's.</summary>
internal static class AdminHttp
{
    public static async Task<RawHttpResponse> BroadcastAsync(IPEndPoint endPoint, string body, string? token, string method = "POST")
    {
        using var http = await RawHttp.ConnectAsync(endPoint);
        var content = Encoding.UTF8.GetBytes(body);
        var authorization = token is null ? string.Empty : $"Authorization: Bearer {token}\r\n";
        var head = $"{method} /admin/broadcast HTTP/1.1\r\nHost: localhost\r\n{authorization}Content-Type: application/json\r\nContent-Length: {content.Length}\r\n\r\n";
        await http.SendAsync([.. Encoding.ASCII.GetBytes(head), .. content]);
        return await http.ReadResponseAsync();
    }

    /// <summary>A JSON body with the text escaped as JSON requires.</summary>
    public static string Body(string tenant, string message) =>
        $"{{\"tenant\":{JsonSerializer.Serialize(tenant)},\"message\":{JsonSerializer.Serialize(message)}}}";
}
