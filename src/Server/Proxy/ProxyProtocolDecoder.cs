using System.Text;
using DotNetty.Buffers;
using DotNetty.Codecs;
using DotNetty.Transport.Channels;
using Edge.Server.WebSockets;
using Microsoft.Extensions.Logging;

namespace Edge.Server.Proxy;

/// <summary>
/// First in every connection's pipeline (before TLS): reads the PROXY protocol header a trusted balancer sends,
/// records the client it names as <see cref="ClientAddress.Original"/>, and removes itself, handing the bytes behind
/// the header on. From an address in <c>Server:TrustedProxies</c> a header is required; from anyone else a connection
/// that starts with one is refused. Refusals answer 400 in plain HTTP, close, count and log.
/// <para>
/// It only buffers up to one header (≤ <see cref="ProxyHeaderParser.MaxV2Bytes"/>); a sender that trickles it is
/// closed by the handshake timeout, which runs from the connection's start until a whole HTTP request arrives.
/// </para>
/// </summary>
public sealed class ProxyProtocolDecoder : ByteToMessageDecoder
{
    /// <summary>Its name in the pipeline.</summary>
    public const string HandlerName = "proxy-protocol";

    private readonly TrustedProxyList _trusted;
    private readonly ProxyProtocolCounters _counters;
    private readonly ILogger _logger;
    private bool _done;

    public ProxyProtocolDecoder(TrustedProxyList trusted, ProxyProtocolCounters counters, ILogger logger)
    {
        _trusted = trusted;
        _counters = counters;
        _logger = logger;
    }

    protected override void Decode(IChannelHandlerContext context, IByteBuffer input, List<object> output)
    {
        if (_done)
        {
            // Refused and closing: whatever else arrives is dropped.
            input.SkipBytes(input.ReadableBytes);
            return;
        }

        var length = Math.Min(input.ReadableBytes, ProxyHeaderParser.MaxV2Bytes);
        var bytes = ByteBufferSpan.Readable(input, length);
        var status = ProxyHeaderParser.Parse(bytes, out var consumed, out var version, out var source, out var error);
        var trusted = _trusted.Contains(context.Channel.RemoteAddress);
        switch (status)
        {
            case ProxyHeaderStatus.Incomplete:
                return;
            case ProxyHeaderStatus.Absent when !trusted:
                // An ordinary client: step aside, the bytes go on untouched.
                Finish(context);
                return;
            case ProxyHeaderStatus.Absent:
                _counters.Missing.Increment();
                Refuse(context, input, trusted, "PROXY protocol header required from this proxy");
                return;
            case ProxyHeaderStatus.Parsed or ProxyHeaderStatus.Invalid when !trusted:
                _counters.Untrusted.Increment();
                Refuse(context, input, trusted, "PROXY protocol header from an untrusted address");
                return;
            case ProxyHeaderStatus.Invalid:
                _counters.Malformed.Increment();
                Refuse(context, input, trusted, error!);
                return;
        }

        input.SkipBytes(consumed);
        if (source is null)
        {
            _counters.AcceptedLocal.Increment();
        }
        else
        {
            context.Channel.GetAttribute(ClientAddress.Original).Set(source);
            (version == 1 ? _counters.AcceptedV1 : _counters.AcceptedV2).Increment();
        }

        Finish(context);
    }

    private void Finish(IChannelHandlerContext context)
    {
        _done = true;
        // The decoder hands what remains of its cumulation (the HTTP or TLS bytes behind the header) to the next handler.
        context.Channel.Pipeline.Remove(this);
    }

    private void Refuse(IChannelHandlerContext context, IByteBuffer input, bool trusted, string reason)
    {
        _done = true;
        input.SkipBytes(input.ReadableBytes);
        var peer = context.Channel.RemoteAddress?.ToString() ?? "unknown";
        if (trusted)
        {
            ProxyProtocolLog.TrustedRefused(_logger, peer, reason);
        }
        else
        {
            ProxyProtocolLog.UntrustedRefused(_logger, peer);
        }

        // Plain HTTP even under TLS: the header comes before any TLS bytes, so this is what the sender speaks.
        var body = "{\"error\":\"bad_proxy_header\",\"message\":\"" + reason + "\"}";
        var response = "HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nContent-Length: "
            + Encoding.ASCII.GetByteCount(body).ToString(System.Globalization.CultureInfo.InvariantCulture)
            + "\r\nConnection: close\r\n\r\n" + body;
        var buffer = context.Allocator.Buffer(response.Length);
        buffer.WriteBytes(Encoding.ASCII.GetBytes(response));
        context.WriteAndFlushAsync(buffer).ContinueWith(static (_, state) => ((IChannelHandlerContext)state!).CloseAsync(), context, TaskScheduler.Default);
    }
}
