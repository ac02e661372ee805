using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Edge.EndToEnd.Tests.Support;

namespace Edge.EndToEnd.Tests.Sse;

/// <summary>
/// A raw-socket SSE client that checks the wire as it reads: the response head, then HTTP/1.1 chunks (each must hold
/// whole SSE events: Edge writes one event per chunk), then the events. Every wait is bounded.
/// </summary>
internal sealed class SseStream : RawSocketConnection
{
    private readonly Queue<SseEvent> _events = new();
    private bool _ended;

    private SseStream(Socket socket)
        : base(socket)
    {
    }

    public int Status { get; private set; }

    public Dictionary<string, string> Headers { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The JSON body of a refusal (non-200).</summary>
    public string Body { get; private set; } = string.Empty;

    /// <summary>True once the terminating chunk <c>0\r\n\r\n</c> arrived.</summary>
    public bool Terminated { get; private set; }

    /// <summary>Sends <c>GET target</c> with <paramref name="extraHeaders"/> (each ending in CRLF) and reads the head (and a refusal's body).</summary>
    public static async Task<SseStream> OpenAsync(IPEndPoint endPoint, string target, string extraHeaders = "", int? receiveBufferSize = null, bool readHead = true)
    {
        var stream = new SseStream(await ConnectSocketAsync(endPoint, receiveBufferSize));
        try
        {
            await stream.SendAsync($"GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n{extraHeaders}\r\n");
            if (readHead)
            {
                await stream.ReadHeadAsync();
            }

            return stream;
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>Reads the response head of a stream opened with <c>readHead: false</c> (a reader that starts late).</summary>
    public Task ReadResponseHeadAsync() => ReadHeadAsync();

    /// <summary>The next event, retry advice or comment; null when the stream ended (last chunk or connection closed).</summary>
    public async Task<SseEvent?> ReadAsync()
    {
        while (_events.Count == 0)
        {
            if (_ended || !await ReadChunkAsync())
            {
                return null;
            }
        }

        return _events.Dequeue();
    }

    /// <summary>The next event named <paramref name="name"/>, skipping comments, retry advice and other events.</summary>
    public async Task<SseEvent> ReadEventAsync(string name)
    {
        while (await ReadAsync() is { } next)
        {
            if (next.Event == name)
            {
                return next;
            }
        }

        throw new IOException($"the stream ended before a '{name}' event");
    }

    /// <summary>Reads until the stream ends; returns everything read on the way.</summary>
    public async Task<List<SseEvent>> ReadToEndAsync()
    {
        var all = new List<SseEvent>();
        while (await ReadAsync() is { } next)
        {
            all.Add(next);
        }

        return all;
    }

    private async Task ReadHeadAsync()
    {
        var end = await IndexOfAsync("\r\n\r\n"u8.ToArray());
        Assert.That(end, Is.GreaterThanOrEqualTo(0), "a response head arrives");
        Status = TakeHead(end, Headers);

        if (Status != 200)
        {
            var length = Headers.TryGetValue("Content-Length", out var text) ? int.Parse(text, CultureInfo.InvariantCulture) : 0;
            while (Pending.Count < length)
            {
                Assert.That(await ReceiveMoreAsync(), Is.True, "the refusal's body arrives");
            }

            Body = Encoding.UTF8.GetString(Pending.GetRange(0, length).ToArray());
            Pending.RemoveRange(0, length);
            _ended = true;
        }
    }

    private async Task<bool> ReadChunkAsync()
    {
        var lineEnd = await IndexOfAsync("\r\n"u8.ToArray());
        if (lineEnd < 0)
        {
            _ended = true;
            return false;
        }

        var sizeText = Encoding.ASCII.GetString(Pending.GetRange(0, lineEnd).ToArray());
        var size = int.Parse(sizeText, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
        Pending.RemoveRange(0, lineEnd + 2);
        while (Pending.Count < size + 2)
        {
            if (!await ReceiveMoreAsync())
            {
                _ended = true;
                return false;
            }
        }

        var body = Encoding.UTF8.GetString(Pending.GetRange(0, size).ToArray());
        Assert.That(Pending[size] == '\r' && Pending[size + 1] == '\n', Is.True, "a chunk ends with CRLF");
        Pending.RemoveRange(0, size + 2);
        if (size == 0)
        {
            Terminated = true;
            _ended = true;
            return false;
        }

        Assert.That(body, Does.EndWith("\n\n"), "a chunk holds whole SSE events");
        foreach (var block in body[..^2].Split("\n\n"))
        {
            _events.Enqueue(Parse(block));
        }

        return true;
    }

    private static SseEvent Parse(string block)
    {
        string? name = null, id = null, data = null, comment = null;
        int? retry = null;
        foreach (var line in block.Split('\n'))
        {
            if (line.StartsWith(':'))
            {
                comment = line[1..].TrimStart();
                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var field = colon < 0 ? line : line[..colon];
            var value = colon < 0 ? string.Empty : line[(colon + 1)..].TrimStart(' ');
            switch (field)
            {
                case "event":
                    name = value;
                    break;
                case "id":
                    id = value;
                    break;
                case "data":
                    data = data is null ? value : data + "\n" + value;
                    break;
                case "retry":
                    retry = int.Parse(value, CultureInfo.InvariantCulture);
                    break;
                default:
                    Assert.Fail($"unexpected SSE field '{field}'");
                    break;
            }
        }

        return new SseEvent(name, id, data, retry, comment);
    }
}
