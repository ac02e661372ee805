using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Edge.EndToEnd.Tests.Support;

/// <summary>A deliberately plain HTTP/1.1 client over a raw socket, so tests control every byte sent.</summary>
internal sealed class RawHttp : RawSocketConnection
{
    private RawHttp(Socket socket)
        : base(socket)
    {
    }

    public static async Task<RawHttp> ConnectAsync(IPEndPoint endPoint) => new(await ConnectSocketAsync(endPoint));

    public static async Task<RawHttpResponse> GetAsync(IPEndPoint endPoint, string path)
    {
        using var client = await ConnectAsync(endPoint);
        await client.SendAsync($"GET {path} HTTP/1.1\r\nHost: localhost\r\n\r\n");
        return await client.ReadResponseAsync();
    }

    /// <summary>Reads one response: head, then Content-Length bytes of body.</summary>
    public async Task<RawHttpResponse> ReadResponseAsync()
    {
        var headEnd = await IndexOfAsync("\r\n\r\n"u8.ToArray());
        if (headEnd < 0)
        {
            throw new IOException("connection closed before a full response head: " + Encoding.Latin1.GetString(Pending.ToArray()));
        }

        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var status = TakeHead(headEnd, headers);
        var length = headers.TryGetValue("Content-Length", out var value) ? int.Parse(value, System.Globalization.CultureInfo.InvariantCulture) : 0;
        while (Pending.Count < length)
        {
            if (!await ReceiveMoreAsync())
            {
                throw new IOException("connection closed inside a response body");
            }
        }

        var body = Encoding.UTF8.GetString(Pending.GetRange(0, length).ToArray());
        Pending.RemoveRange(0, length);
        return new RawHttpResponse(status, headers, body);
    }
}
