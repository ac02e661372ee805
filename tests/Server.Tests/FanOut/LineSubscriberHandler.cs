using System.Diagnostics;
using System.Text;
using DotNetty.Buffers;
using DotNetty.Transport.Channels;
using Edge.Ingest.Symbols;
using Edge.Protocol.Client;
using Edge.Server.FanOut;
using Edge.Server.Transport;

namespace Edge.Server.Tests.FanOut;

/// <summary>
/// A test stand-in for the WebSocket session: the client sends one line "encoding|SYM1,SYM2|maxRate", the
/// handler subscribes on its loop and writes each symbol's snapshot frame; prices then flow from the fan-out.
/// </summary>
internal sealed class LineSubscriberHandler : ChannelHandlerAdapter
{
    private readonly FanOutService _service;
    private readonly NameTable _symbols;
    private readonly StringBuilder _line = new();
    private FanOutSession? _session;
    private LoopFanOut? _loop;

    public LineSubscriberHandler(FanOutService service, NameTable symbols)
    {
        _service = service;
        _symbols = symbols;
    }

    public override void ChannelRead(IChannelHandlerContext context, object message)
    {
        var buffer = (IByteBuffer)message;
        try
        {
            if (_session is not null)
            {
                return;
            }

            _line.Append(buffer.ToString(Encoding.ASCII));
            var text = _line.ToString();
            var end = text.IndexOf('\n', StringComparison.Ordinal);
            if (end >= 0)
            {
                Subscribe(context, text[..end]);
            }
        }
        finally
        {
            buffer.Release();
        }
    }

    public override void ChannelWritabilityChanged(IChannelHandlerContext context)
    {
        if (_session is not null)
        {
            _loop!.OnWritabilityChanged(_session);
        }

        context.FireChannelWritabilityChanged();
    }

    public override void ChannelInactive(IChannelHandlerContext context)
    {
        if (_session is not null)
        {
            _loop!.Unregister(_session);
        }

        context.FireChannelInactive();
    }

    private void Subscribe(IChannelHandlerContext context, string request)
    {
        var parts = request.Split('|');
        var encoding = parts[0] == "json" ? ClientEncoding.Json : ClientEncoding.MessagePack;
        var maxRate = int.Parse(parts[2], System.Globalization.CultureInfo.InvariantCulture);
        var interval = maxRate > 0 ? Stopwatch.Frequency / maxRate : 0;
        _loop = _service.For(context.Channel.EventLoop);
        _session = new FanOutSession(new ChannelTransport(context.Channel), encoding, "test");
        _loop.Register(_session);
        foreach (var symbol in parts[1].Split(','))
        {
            var latest = _loop.Subscribe(_session, _symbols.Find(symbol), interval);
            if (latest is not null)
            {
                context.WriteAsync(Unpooled.WrappedBuffer(latest.Frame(encoding).ToArray()));
            }
        }

        context.WriteAndFlushAsync(Unpooled.WrappedBuffer(MessageFraming.Build(ClientEncoding.Json, "READY"u8)));
    }
}
