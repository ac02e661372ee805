using System.Net;
using System.Net.Sockets;
using DotNetty.Transport.Bootstrapping;
using DotNetty.Transport.Channels;
using DotNetty.Transport.Channels.Sockets;

namespace Edge.Server.Tests.Transport;

/// <summary>
/// One accepted DotNetty TCP channel on loopback (its pipeline built by the test) and the raw client socket
/// connected to it.
/// </summary>
internal sealed class LoopbackChannelPair : IAsyncDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly MultithreadEventLoopGroup _group = new(1);
    private IChannel? _listener;

    private LoopbackChannelPair()
    {
    }

    public IChannel Server { get; private set; } = null!;

    public Socket Client { get; } = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);

    public static async Task<LoopbackChannelPair> ConnectAsync(Action<IChannelPipeline> build, int? clientReceiveBufferSize = null)
    {
        var pair = new LoopbackChannelPair();
        if (clientReceiveBufferSize is { } size)
        {
            pair.Client.ReceiveBufferSize = size;
        }

        var accepted = new TaskCompletionSource<IChannel>(TaskCreationOptions.RunContinuationsAsynchronously);
        var bootstrap = new ServerBootstrap()
            .Group(pair._group, pair._group)
            .ChannelFactory(static () => new TcpServerSocketChannel())
            .ChildOption(ChannelOption.TcpNodelay, true)
            .ChildHandler(new ActionChannelInitializer<IChannel>(channel =>
            {
                build(channel.Pipeline);
                accepted.TrySetResult(channel);
            }));
        pair._listener = await bootstrap.BindAsync(new IPEndPoint(IPAddress.Loopback, 0));
        using var cts = new CancellationTokenSource(Timeout);
        await pair.Client.ConnectAsync(new IPEndPoint(IPAddress.Loopback, ((IPEndPoint)pair._listener.LocalAddress).Port), cts.Token);
        pair.Server = await accepted.Task.WaitAsync(Timeout);
        return pair;
    }

    /// <summary>Runs <paramref name="action"/> on the server channel's event loop (where the writer may be used).</summary>
    public Task<T> OnLoopAsync<T>(Func<T> action) => Server.EventLoop.SubmitAsync(action).WaitAsync(Timeout);

    /// <summary>Reads exactly <paramref name="count"/> bytes from the client socket.</summary>
    public async Task<byte[]> ReadAsync(int count)
    {
        var bytes = new byte[count];
        var read = 0;
        using var cts = new CancellationTokenSource(Timeout);
        while (read < count)
        {
            var n = await Client.ReceiveAsync(bytes.AsMemory(read), SocketFlags.None, cts.Token);
            if (n == 0)
            {
                throw new IOException($"closed after {read} of {count} bytes");
            }

            read += n;
        }

        return bytes;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (Server is not null)
        {
            await Server.CloseAsync();
        }

        if (_listener is not null)
        {
            await _listener.CloseAsync();
        }

        var stopped = _group.ShutdownGracefullyAsync(TimeSpan.Zero, TimeSpan.FromSeconds(5));
        if (await Task.WhenAny(stopped, Task.Delay(Timeout)) != stopped)
        {
            TestContext.Progress.WriteLine("LoopbackChannelPair: DotNetty event loop did not finish shutting down within 30 s");
        }
    }
}
